"""The words a talk record is written in: the suggested mood and concern tags, and the limits of
what may be typed. Plain data, shared by the services, the forms, the import and the API."""

from django.utils.translation import gettext_lazy as _

# Tags offered on the form; others may be typed. Stored as the Chinese words themselves.
SUGGESTED_TAGS = (
    "思想波动",
    "家庭困难",
    "身体健康",
    "工作环境",
    "薪酬待遇",
    "安全顾虑",
    "子女教育",
    "住房",
)
# Their labels in the interface language (the stored word stays Chinese, as typed tags do).
TAG_LABELS = {
    "思想波动": _("思想波动"),
    "家庭困难": _("家庭困难"),
    "身体健康": _("身体健康"),
    "工作环境": _("工作环境"),
    "薪酬待遇": _("薪酬待遇"),
    "安全顾虑": _("安全顾虑"),
    "子女教育": _("子女教育"),
    "住房": _("住房"),
}
TAG_MAX = 20  # characters of one tag
TAGS_MAX = 10  # tags on one record
PEOPLE_MAX = 200  # people on one record (a team visited together)
HOSTS_MAX = 20
VOICES_MAX = 20
SUMMARY_MAX = 5000
SENSITIVE_MAX = 2000
PLACE_NOTE_MAX = 100
SEPARATORS = ",，、;；\n\t "  # between employee numbers or tags typed in one field
MASKED = _("（敏感信息，无权查看）")


def split_words(value: object) -> list[str]:
    """Return the words of a field typed as a list (``E001、E002``), in order, without repeats."""
    if isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        text = str(value or "")
        for separator in SEPARATORS:
            text = text.replace(separator, "\x00")
        items = text.split("\x00")
    words: list[str] = []
    for item in items:
        word = item.strip()
        if word and word not in words:
            words.append(word)
    return words
