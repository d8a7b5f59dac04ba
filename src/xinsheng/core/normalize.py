"""Clean Chinese text as it arrives from forms, chat apps and web pages.

``normalize(text)`` returns the cleaned text; callers keep the original. In order:

1. control and invisible characters (zero-width spaces, bidi marks, BOM, private use) go;
2. Unicode NFKC folds full-width letters and digits to ASCII and half-width katakana to full
   width (the ellipsis ``…`` and circled numbers ``①`` are kept as they are);
3. pinyin glosses written after characters, ``團(tuán)``, are dropped, including the broken ones
   that scraping leaves as ``?qū)``;
4. traditional characters become simplified ones (OpenCC ``t2s``);
5. ASCII punctuation touching Chinese text becomes the Chinese full-width form (``,`` → ``，``);
6. short random ASCII runs standing between sentences or on lines of their own are removed,
   while numbers, words, codes, model numbers, URLs and e-mail addresses stay;
7. whitespace is folded: one space inside a line, no empty lines.

The judgement in step 6 is per whitespace-separated token: a token written against a Chinese
character (``3号井``, ``A-3班``) is always kept; a free-standing token is kept when it has the shape
of real content (a number, a URL, an e-mail address, a word or an upper-case code).
"""

import re
import unicodedata
from functools import lru_cache

import opencc

# Characters kept through NFKC because their compatibility form reads worse in Chinese text.
_PRESERVED = "…" + "".join(chr(c) for c in range(0x2460, 0x2474))  # … and ①–⑳
_PLACEHOLDER_BASE = 0xF0000  # a supplementary private-use plane, removed from input beforehand

_PROTECT = {ord(ch): chr(_PLACEHOLDER_BASE + i) for i, ch in enumerate(_PRESERVED)}
_RESTORE = {_PLACEHOLDER_BASE + i: ch for i, ch in enumerate(_PRESERVED)}
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_TONELESS = "aaaaeeeeiiiioooouuuuüüüü"
_DETONE = str.maketrans(_TONED, _TONELESS)

# Initials and finals of Mandarin syllables; a gloss must parse as one syllable.
_PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|ai|ei|ao|ou|an|en|er|ia|ie|iu"
    r"|in|ua|uo|ui|un|üe|ue|ün|a|o|e|i|u|ü|v)"
)
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_GLOSS = re.compile(rf"(?<=[{_HAN}])\(([a-z{_TONED}ü]{{1,6}}[1-5]?)\)")
# A gloss whose character was lost in an encoding accident: "?qū)", sometimes with a stray "?"
# or "_" after it (seen in the seed documents: "实打?qū)?", "再?zèng)_刺").
_BROKEN_GLOSS = re.compile(rf"\?([a-z{_TONED}ü]{{1,6}})\)[?_]?")

_SENTENCE_END = set("。！？；…”」』）】")
_TO_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_HAN_RE = re.compile(f"[{_HAN}]")
_PUNCT_NEAR_HAN = re.compile(rf"(?<=[{_HAN}])[,;:!?]|[,;:!?](?=[{_HAN}])")
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")

_ASCII_RUN = re.compile(r"[\x20-\x7e]+")
_URL = re.compile(r"(?:https?|ftp)://[^\s]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s]*", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,:/~-]\d+)*%?")
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[A-Za-z])[.)]|[-*+]")
_CODE = re.compile(r"[A-Za-z0-9]+(?:[-_./#+&'][A-Za-z0-9]+)*[#+%']*")
_LETTERS = re.compile(r"[A-Za-z]+")
_PASCAL_PART = re.compile(r"[A-Z][a-z]+")
_VOWELS = set("aeiouy")
_DIGIT_UNIT = re.compile(
    r"\d+(?:\.\d+)?(?:mm|cm|m|km|kg|g|t|ml|l|v|kv|w|kw|mw|a|ma|mpa|kpa|mb|gb|tb|h|min|s|m2|m3)",
    re.I,
)
_INLINE_SYMBOLS = set("-–/&+#%~")


def normalize(text: str) -> str:
    """Return ``text`` cleaned for reading, matching and classification (see the module doc)."""
    text = _remove_invisible(text)
    text = _nfkc(text)
    text = _BROKEN_GLOSS.sub(_drop_gloss, text)
    text = _GLOSS.sub(_drop_gloss, text)
    text = _converter().convert(text)
    text = _chinese_punctuation(text)
    lines = (_clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    """Return the traditional → simplified converter (its dictionaries ship in the wheel)."""
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _invisible() -> re.Pattern[str]:
    """Return a pattern of every control, format, private-use and surrogate code point.

    Built once from the Unicode database (about 0.2 s), so that removing them is one regex pass.
    """
    points = [
        cp
        for cp in range(0x110000)
        if unicodedata.category(chr(cp)) in _INVISIBLE_CATEGORIES and chr(cp) not in "\n\t"
    ]
    ranges: list[str] = []
    start = previous = points[0]
    for cp in [*points[1:], -1]:
        if cp != previous + 1:
            ranges.append(
                re.escape(chr(start)) + (f"-{re.escape(chr(previous))}" * (previous > start))
            )
            start = cp
        previous = cp
    return re.compile(f"[{''.join(ranges)}]+")


def _remove_invisible(text: str) -> str:
    """Drop control, format and private-use characters; keep newlines; tabs become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _invisible().sub("", text)


def _nfkc(text: str) -> str:
    """Apply NFKC, except to the characters in ``_PRESERVED``."""
    return unicodedata.normalize("NFKC", text.translate(_PROTECT)).translate(_RESTORE)


def _is_syllable(gloss: str) -> bool:
    """Tell whether ``gloss`` is one pinyin syllable with a tone (mark or trailing digit)."""
    toned = any(ch in _TONED for ch in gloss) or gloss[-1].isdigit()
    base = gloss.rstrip("12345").translate(_DETONE)
    return toned and _PINYIN_SYLLABLE.fullmatch(base) is not None


def _drop_gloss(match: re.Match[str]) -> str:
    """Return nothing for a gloss (whole or broken) of one syllable; other text as it was."""
    return "" if _is_syllable(match.group(1)) else match.group(0)


def _chinese_punctuation(text: str) -> str:
    """Write ASCII punctuation that touches Chinese characters in its full-width form."""
    text = _PUNCT_NEAR_HAN.sub(lambda m: _TO_FULL_WIDTH[m.group(0)], text)

    def pair(match: re.Match[str]) -> str:
        start, end = match.span()
        before = text[start - 1 : start]
        after = text[end : end + 1]
        if _HAN_RE.match(before) or _HAN_RE.match(after) or _HAN_RE.search(match.group(1)):
            return f"（{match.group(1)}）"
        return match.group(0)

    return _PAREN_PAIR.sub(pair, text)


def _clean_line(line: str) -> str:
    """Remove noise tokens from the ASCII runs of ``line`` and fold its whitespace."""
    pieces: list[str] = []
    last = 0
    for match in _ASCII_RUN.finditer(line):
        start, end = match.span()
        pieces.append(line[last:start])
        left = line[start - 1] if start else ""
        right = line[end] if end < len(line) else ""
        pieces.append(_clean_run(match.group(0), left=left, right=right))
        last = end
    pieces.append(line[last:])
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _clean_run(run: str, *, left: str, right: str) -> str:
    """Return ``run`` (an ASCII stretch between ``left`` and ``right``) without its noise."""
    tokens = run.split()
    if not tokens:
        return run
    between_sentences = left in ("", *_SENTENCE_END)
    at_line_end = right == ""
    glued_left = not run[0].isspace() and left not in ("", *_SENTENCE_END)
    glued_right = not run[-1].isspace() and right != ""
    verdicts: list[bool | None] = []  # None: glued to a Chinese character, always kept
    for index, token in enumerate(tokens):
        glued = (index == 0 and glued_left) or (index == len(tokens) - 1 and glued_right)
        if glued:
            verdicts.append(None)
        elif index == 0 and left == "" and right and _LIST_MARKER.fullmatch(token):
            verdicts.append(True)
        elif not between_sentences and len(token) == 1 and token.isalpha():
            verdicts.append(True)  # 选 A 或 B
        else:
            verdicts.append(_is_content(token, strict=between_sentences or at_line_end))
    judged = [v for v in verdicts if v is not None]
    # Noise drags its neighbours with it: half the tokens at a boundary, most of them inline.
    failed = sum(1 for v in judged if not v) * 2
    drop_all = failed >= len(judged) if between_sentences or at_line_end else failed > len(judged)
    kept = [
        token
        for token, verdict in zip(tokens, verdicts, strict=True)
        if verdict is None or (verdict and not drop_all)
    ]
    if not kept:
        return " " if left and right else ""
    lead = " " if run[0].isspace() else ""
    trail = " " if run[-1].isspace() else ""
    return lead + " ".join(kept) + trail


def _is_content(token: str, *, strict: bool) -> bool:
    """Tell whether a free-standing ASCII ``token`` looks like real content.

    ``strict`` applies between sentences, where scraping noise sits: single letters and lone
    symbols are noise there, while inside a sentence (``选 A 或 B``) they are content.
    """
    if _URL.fullmatch(token) or _EMAIL.fullmatch(token) or _NUMBER.fullmatch(token):
        return True
    if not strict and ((len(token) == 1 and token.isalpha()) or token in _INLINE_SYMBOLS):
        return True
    if not _CODE.fullmatch(token):
        return False
    if strict and len(token) == 1:
        return token.isdigit()
    has_digit = any(ch.isdigit() for ch in token)
    if strict and has_digit and any(ch.islower() for ch in token):
        return _DIGIT_UNIT.fullmatch(token) is not None  # 5kg, 10kV; not K8f, x0, 6o9Ts1s
    parts = _LETTERS.findall(token)
    if strict and len({part.isupper() for part in parts}) > 1:
        return False  # W-c, HP#dr: parts of a code share their case
    return all(_plausible_letters(part, strict=strict) for part in parts)


def _plausible_letters(letters: str, *, strict: bool) -> bool:
    """Tell whether a run of letters is cased like a word or a code rather than at random.

    Accepted: ``wifi``, ``WIFI``, ``Wifi``, ``WiFi`` (each capitalised part has a vowel, when
    ``strict``), and ``iPhone``/``eMail``. Random runs such as ``gSik``, ``fK`` or ``SnNrpjm``
    are not.
    """
    if letters.islower() or letters.isupper():
        return True
    if letters[0].islower():
        if letters[0] not in "ie" or not letters[1].isupper():
            return False
        letters = letters[1:]
    parts = _PASCAL_PART.findall(letters)
    if "".join(parts) != letters:
        return False
    if not strict:
        return len(parts) <= 2 or all(_VOWELS & set(part.lower()) for part in parts)
    return all(_VOWELS & set(part.lower()) for part in parts)
