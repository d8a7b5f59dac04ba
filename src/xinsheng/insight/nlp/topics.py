"""Hot topics: group the voices of a period into topics a person would name, and leave the rest.

``find_topics(texts, keys=…)`` (the reasons for each choice are in docs/insight.md):

1. texts are normalised (``normalize``); the caller's ``ignore`` phrases (unit names: a topic is
   about an issue, not a place) and punctuation are blanked out;
2. the rest is cut into words (``rjieba``, with part-of-speech tags); a word counts only when it is
   a **content word**: two characters or more, not in the Chinese stopword list of the
   ``stopwordsiso`` package, not one of the voices' own filler words (``FILLER``: 希望、领导、很多、
   您好、有人…) and not a count (一个多月、两块钱). Adjacent content words make **phrases**;
3. content words, two-word phrases and the character pairs inside longer words are weighted by
   TF-IDF; a place or time word alone (``CONTEXT``: 夜班、升井后、工作面…) weighs
   ``CONTEXT_WEIGHT`` of that, so that problems which happen at the same place or time are not
   one topic; latent semantic analysis (a truncated SVD) keeps ``DIMENSIONS`` dimensions;
4. **HDBSCAN** (scikit-learn) finds dense groups of at least ``min_topic_size`` voices; a voice in
   none is left out instead of being forced into the nearest topic. Above ``CLUSTER_SAMPLE``
   texts it runs on a seeded sample and the others join the nearest group when close;
5. groups that say the same thing in other words are merged (average linkage over the share of
   each group's voices using each feature, cosine ``MERGE_SIMILARITY``), and a voice left out
   joins the nearest topic when its cosine to the centre is at least ``JOIN_SIMILARITY``; the
   rest stay **unclustered** (其他);
6. each topic is labelled by **class-based TF-IDF** over its voices' words and phrases: (share of
   the topic's voices using it)² × log(1 + mean topic size / voices using it in the period), a
   phrase gaining ``PHRASE_BONUS`` per extra word; a label holds a noun and is used by at least
   ``LABEL_SHARE`` of the topic's voices, and a place or time word alone comes last;
7. members are listed nearest to the centre first; ``representatives`` are three of the nearest
   that do not repeat each other.

``TopicModel.assign(texts)`` puts other texts (the previous period) into the same topics, or none
when they are far from all of them, so that a topic's trend can be counted.
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy, scikit-learn and jieba are imported where topics are found (seconds)
    import numpy as np
    import numpy.typing as npt
    from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from xinsheng.core.normalize import normalize

_FORMAT = 2
# Words employees' voices use whatever they are about: requests, politeness, hedges, vague
# quantities and times. The stopword list knows general Chinese function words; these are the
# voices' own. Dropped as whole words (so 请 goes and 请假 stays).
FILLER = (
    # requests and politeness
    "希望", "尽快", "尽早", "早日", "解决", "处理", "领导", "重视", "反映", "建议", "问题", "谢谢",
    "答复", "盼复", "回复", "落实", "相关部门", "有关部门", "相关", "有关", "部门", "核实", "协调",
    "帮忙", "改进", "一下", "说法", "安排", "人员", "研究", "能够", "能否", "可以", "请问", "请",
    "您好", "你好", "领导好", "感谢", "麻烦", "辛苦", "谢谢您", "给个", "想问", "有个", "再次",
    "申请", "要求", "关注", "考虑", "情况", "实际", "困难", "心声", "事情", "事儿", "东西",
    "增加", "提高", "加强", "改善", "重新", "及时", "尽量", "赶紧", "抓紧", "请求", "呼吁",
    # people and places any voice names
    "职工们", "职工", "大家", "我们", "咱们", "工友", "工友们", "同事", "有人", "好多人", "不少人",
    "一线", "单位", "公司", "矿上", "矿区", "本单位", "这边", "那边", "这里", "那里",
    # hedges, frequency and time
    "普遍", "意见", "比较", "一个", "现在", "目前", "最近", "已经", "一直", "经常", "还是", "没有",
    "不能", "什么", "怎么", "为什么", "很多", "许多", "不少", "好多", "一些", "有些", "哪些",
    "仍然", "依然", "还有", "总是", "老是", "每次", "每天", "天天", "周末", "今年", "去年", "明年",
    "上个月", "这个月", "下个月", "前几天", "这几天", "好几天", "几天", "时候", "有时", "有时候",
    "晚上", "早上", "白天", "夜里", "时间", "小时", "分钟", "调整", "办理", "按时",
    "根本", "实在", "真的", "确实", "特别", "非常", "严重", "太", "很", "越来越", "一点",
    "能不能", "是不是", "可不可以", "是否", "应该", "需要", "只能", "只好", "不是", "就是",
)  # fmt: skip
BOILERPLATE = FILLER  # the name earlier versions used
# Where and when a problem happens, not what it is: the shifts, the places of a mine and the
# moments of a working day. Voices about quite different problems name them (夜班: meals,
# allowances, rest days; 升井后: the canteen, the bathhouse, the bus), so on their own they weigh
# ``CONTEXT_WEIGHT`` of a word in telling topics apart and come last for a label; in a phrase with a
# word of substance (夜班津贴, 井口浴室) the phrase weighs in full. A label starts with one only
# when the topic's voices share nothing else.
CONTEXT = (
    # shifts
    "夜班", "早班", "中班", "白班", "零点班", "四点班", "八点班", "班次", "各班次", "交接班",
    "倒班时", "上夜班", "下夜班", "下中班", "上班", "下班", "下班后", "上班前", "班前", "班后",
    # places of a mine and of work
    "井下", "井上", "井口", "地面", "工作面", "采区", "巷道", "大巷", "现场", "区队", "班组",
    "队里", "车间", "作业", "岗位上",
    # moments of the day and the year
    "升井", "下井", "升井后", "下井前", "升井时", "下井时", "夜间", "半夜", "后半夜", "凌晨",
    "中午", "冬天", "夏天", "冬季", "夏季", "天冷", "天热", "平时", "期间", "节假日", "连续",
    "长期", "常年",
    # where, relative to something else
    "附近", "周边", "旁边",
)  # fmt: skip
CONTEXT_WEIGHT = 0.25
LABEL_TERMS = 2
KEY_TERMS = 8
DIMENSIONS = 50
CLUSTER_SAMPLE = 5_000
JOIN_SIMILARITY = 0.5
MERGE_SIMILARITY = 0.1
PHRASE_BONUS = 0.25
LABEL_SHARE = 0.3
REPRESENTATIVES = 3
_COUNT = re.compile(r"^[0-9〇零一二三四五六七八九十百千万两几半多好每]+\w?$")
_STOP_CHARS = frozenset("的了吗呢吧啊呀么着过")
# Part-of-speech tags of jieba that name a thing: a label holds at least one such word.
_NOUN_TAGS = frozenset({"vn", "an", "i", "j", "l"})


@dataclass
class Topic:
    """One topic: its label, key terms, size and members (nearest to the centre first)."""

    number: int
    label: str
    terms: list[str]
    size: int
    members: list[int] = field(repr=False)
    cohesion: float = 0.0  # mean cosine similarity of the members to the centre
    representatives: list[int] = field(default_factory=list, repr=False)


@dataclass
class TopicModel:
    """The topics of a period, the voices left out, and what puts more texts into the topics."""

    topics: list[Topic]
    vectorizer: TfidfVectorizer = field(repr=False)
    svd: TruncatedSVD | None = field(repr=False)
    centers: npt.NDArray[np.float32] = field(repr=False)
    blanker: re.Pattern[str] = field(repr=False)
    fitted: bool = True  # False: the texts had no words to tell them apart, nothing to assign to
    unclustered: list[int] = field(default_factory=list, repr=False)  # keys in no topic (其他)

    def assign(
        self, texts: Sequence[str], *, min_similarity: float = JOIN_SIMILARITY
    ) -> list[int | None]:
        """Return the topic number of each of ``texts``, or None when it fits none of them."""
        import numpy as np

        if not texts or not self.fitted or not self.topics:
            return [None] * len(texts)
        rows = self.vectorizer.transform(_prepare(texts, self.blanker))
        reduced = _reduce(rows, self.svd)
        empty = np.asarray(rows.getnnz(axis=1) == 0)
        similarity = reduced @ self.centers.T
        best = similarity.argmax(axis=1)
        return [
            int(topic) if not empty[i] and similarity[i, topic] >= min_similarity else None
            for i, topic in enumerate(best)
        ]

    def to_bytes(self) -> bytes:
        """Return the model as bytes, to store; load only bytes this installation wrote."""
        return pickle.dumps((_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> TopicModel:
        """Return the model that ``to_bytes`` wrote (pickle: trusted storage only)."""
        version, model = pickle.loads(data)  # noqa: S301 — our own stored models only
        if version != _FORMAT or not isinstance(model, cls):
            raise ValueError("unknown topic model format")
        return model


def default_min_topic_size(n: int) -> int:
    """Return the fewest voices a topic needs among ``n``: 1 in 100, between 5 and 50."""
    return max(5, min(50, n // 100))


def find_topics(
    texts: Sequence[str],
    *,
    keys: Sequence[int] | None = None,
    min_topic_size: int | None = None,
    seed: int = 0,
    min_df: int = 2,
    ignore: Sequence[str] = (),
    threads: int = 1,
) -> TopicModel:
    """Group ``texts`` into topics, largest first; members are ``keys`` (default: positions).

    ``ignore`` lists phrases that say nothing of the topic, such as the names of the units.
    ``min_topic_size`` is the fewest voices a topic holds (default ``default_min_topic_size``).
    ``min_df`` applies from 100 texts on; below that every word counts. ``threads`` bounds the
    BLAS and OpenMP threads: on a machine other work shares, one thread is several times faster
    than two that wait for each other. Voices in no topic are the model's ``unclustered``.
    """
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    if keys is not None and len(keys) != len(texts):
        raise ValueError("texts and keys differ in length")
    if len(texts) < 2:
        raise ValueError("at least two texts are needed to find topics")
    member_keys = np.asarray(keys if keys is not None else range(len(texts)), dtype=np.int64)
    blanker = _blanker(ignore)
    prepared = _prepare(texts, blanker)
    phrases: list[list[tuple[str, int]]] = []  # each text's label candidates
    shared: dict[tuple[str, int], tuple[str, int]] = {}  # one object per candidate: memory

    def features() -> Iterator[list[str]]:
        """Segment each text once: its features for clustering, its phrases for the labels."""
        for text in prepared:
            runs = _content_runs(text)
            phrases.append([shared.setdefault(found, found) for found in _run_phrases(runs)])
            yield _run_features(runs)

    vectorizer = TfidfVectorizer(
        analyzer=_features,
        min_df=min_df if len(texts) >= 100 else 1,
        max_features=200_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        rows = vectorizer.fit_transform(features())
    except ValueError:  # nothing left to weigh: every text is filler or punctuation
        rows = None
    if rows is None or rows.shape[1] < 2:
        return _no_topics(member_keys, vectorizer, blanker)
    weights = _feature_weights(vectorizer.get_feature_names_out())
    # Scaling the inverse document frequencies weighs the texts assigned later the same way.
    vectorizer.idf_ = vectorizer.idf_ * weights
    rows.data *= weights[rows.indices]  # in place: no copy of the largest matrix
    rows = _unit_sparse_rows(rows)
    dimensions = min(DIMENSIONS, rows.shape[1] - 1, rows.shape[0] - 1)
    svd = TruncatedSVD(dimensions, random_state=seed) if dimensions >= 2 else None
    size = min_topic_size or default_min_topic_size(len(texts))
    with threadpool_limits(limits=threads):
        if svd is not None:
            svd.fit(rows)
        reduced = _reduce(rows, svd)
        empty = np.asarray(rows.getnnz(axis=1) == 0)
        assigned = _cluster(reduced, empty, min_size=size, seed=seed)
        assigned = _merge(assigned, rows, weights)
        assigned = _join(assigned, reduced, empty)
    found: list[tuple[Topic, npt.NDArray[np.float32]]] = []
    clusters = [c for c in range(int(assigned.max()) + 1) if (assigned == c).any()]
    labels = _label_terms([np.flatnonzero(assigned == c) for c in clusters], phrases)
    for cluster, terms in zip(clusters, labels, strict=True):
        members = np.flatnonzero(assigned == cluster)
        center = _unit_rows(reduced[members].mean(axis=0, keepdims=True))[0]
        closeness = reduced[members] @ center
        order = members[np.argsort(-closeness, kind="stable")]
        topic = Topic(
            number=0,
            label=_label(terms),
            terms=terms,
            size=len(members),
            members=member_keys[order].tolist(),
            cohesion=round(float(closeness.mean()), 4),
            representatives=member_keys[_representatives(order, reduced)].tolist(),
        )
        found.append((topic, center))
    found.sort(key=lambda pair: (-pair[0].size, pair[0].label))
    for number, (topic, _center) in enumerate(found):
        topic.number = number
    return TopicModel(
        topics=[topic for topic, _center in found],
        vectorizer=vectorizer,
        svd=svd,
        centers=np.asarray([center for _topic, center in found], dtype=np.float32).reshape(
            len(found), reduced.shape[1]
        ),
        blanker=blanker,
        unclustered=member_keys[np.flatnonzero(assigned < 0)].tolist(),
    )


def _reduce(rows: Any, svd: TruncatedSVD | None) -> npt.NDArray[np.float32]:
    """Return the rows in the reduced space, at unit length."""
    import numpy as np

    dense = np.asarray(svd.transform(rows) if svd is not None else rows.toarray(), np.float32)
    return _unit_rows(dense)


def _cluster(
    reduced: npt.NDArray[np.float32],
    empty: npt.NDArray[np.bool_],
    *,
    min_size: int,
    seed: int,
) -> npt.NDArray[np.int64]:
    """Return the topic of each row, -1 for the rows in none (HDBSCAN, sampled when large)."""
    import numpy as np
    from sklearn.cluster import HDBSCAN  # type: ignore[import-untyped]

    assigned = np.full(len(reduced), -1, dtype=np.int64)
    usable = np.flatnonzero(~empty)
    if len(usable) < min_size:
        return assigned
    sample = usable
    if len(usable) > CLUSTER_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(usable, CLUSTER_SAMPLE, replace=False))
    scale = len(sample) / len(usable)
    found = HDBSCAN(
        min_cluster_size=max(5, round(min_size * scale)),
        min_samples=5,
        cluster_selection_method="leaf",
        copy=True,
    ).fit_predict(reduced[sample])
    assigned[sample] = found
    if len(sample) < len(usable) and found.max() >= 0:
        centers = _unit_rows(
            np.asarray(
                [reduced[sample[found == c]].mean(axis=0) for c in range(found.max() + 1)],
                dtype=np.float32,
            )
        )
        rest = np.setdiff1d(usable, sample, assume_unique=True)
        for start in range(0, len(rest), 50_000):
            chunk = rest[start : start + 50_000]
            similarity = reduced[chunk] @ centers.T
            best = similarity.argmax(axis=1)
            near = similarity[np.arange(len(chunk)), best] >= JOIN_SIMILARITY
            assigned[chunk[near]] = best[near]
    return assigned


def _merge(
    assigned: npt.NDArray[np.int64], rows: Any, weights: npt.NDArray[np.float32]
) -> npt.NDArray[np.int64]:
    """Return the clusters with those that say the same thing in other words merged.

    Each dense group is described by the share of its voices using each word, phrase and
    character pair (a place or time word at ``CONTEXT_WEIGHT``); groups whose descriptions are
    alike on average (cosine ``MERGE_SIMILARITY``, average linkage) become one topic.
    """
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped]
    from sklearn.cluster import AgglomerativeClustering

    count = int(assigned.max()) + 1
    if count < 2:
        return assigned
    clustered = np.flatnonzero(assigned >= 0)
    membership = sp.csr_matrix(
        (np.ones(len(clustered), np.float32), (assigned[clustered], clustered)),
        shape=(count, rows.shape[0]),
    )
    sizes = np.asarray(membership.sum(axis=1), dtype=np.float32)
    used = (rows > 0).astype(np.float32)
    shares = np.asarray((membership @ used).todense(), np.float32) / sizes * weights
    groups = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1 - MERGE_SIMILARITY,
    ).fit_predict(shares)
    merged = assigned.copy()
    merged[clustered] = np.asarray(groups, dtype=np.int64)[assigned[clustered]]
    return merged


def _join(
    assigned: npt.NDArray[np.int64], reduced: npt.NDArray[np.float32], empty: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Return the clusters with each voice left out joined to the nearest topic, when close.

    Close is a cosine of at least ``JOIN_SIMILARITY`` to the topic's centre: the voices HDBSCAN
    left at the edge of a topic join it; the voices about something else stay out.
    """
    import numpy as np

    count = int(assigned.max()) + 1
    left = np.flatnonzero((assigned < 0) & ~empty)
    if count < 1 or not len(left):
        return assigned
    centers = _unit_rows(
        np.asarray([reduced[assigned == c].mean(axis=0) for c in range(count)], np.float32)
    )
    joined = assigned.copy()
    for start in range(0, len(left), 50_000):
        chunk = left[start : start + 50_000]
        similarity = reduced[chunk] @ centers.T
        best = similarity.argmax(axis=1)
        near = similarity[np.arange(len(chunk)), best] >= JOIN_SIMILARITY
        joined[chunk[near]] = best[near]
    return joined


def _representatives(order: npt.NDArray[np.int64], reduced: npt.NDArray[np.float32]) -> list[int]:
    """Return up to three of the members nearest the centre that do not repeat each other."""
    chosen: list[int] = []
    for index in order[:200]:
        if all(float(reduced[index] @ reduced[other]) < 0.9 for other in chosen):
            chosen.append(int(index))
            if len(chosen) == REPRESENTATIVES:
                return chosen
    for index in order:  # near duplicates only: take the nearest ones
        if len(chosen) == REPRESENTATIVES:
            break
        if int(index) not in chosen:
            chosen.append(int(index))
    return chosen


def _label_terms(
    clusters: list[npt.NDArray[np.int64]], phrases: list[list[tuple[str, int]]]
) -> list[list[str]]:
    """Return each cluster's key terms by class-based TF-IDF over its voices' words and phrases."""
    if not clusters:
        return []
    overall: Counter[str] = Counter()
    for found in phrases:
        overall.update({term for term, _ in found})
    mean_size = sum(len(members) for members in clusters) / len(clusters)
    result = []
    for members in clusters:
        inside: Counter[str] = Counter()
        words_of: dict[str, int] = {}
        for index in members:
            for term, words in set(phrases[index]):
                inside[term] += 1
                words_of[term] = words
        scored = {
            term: (
                (count / len(members)) ** 2 * math.log(1 + mean_size / overall[term]),
                count / len(members),
            )
            for term, count in inside.items()
            if count >= 2 or len(members) < 4
        }
        result.append(_pick_terms(scored, words_of))
    return result


def _pick_terms(scored: dict[str, tuple[float, float]], words_of: dict[str, int]) -> list[str]:
    """Return up to ``KEY_TERMS`` terms, best first, none inside another.

    A term used by fewer than ``LABEL_SHARE`` of the topic's voices, or holding no noun, comes
    after the others; a phrase of several words gains ``PHRASE_BONUS`` per extra word, so that
    浴室热水不足 wins over 浴室 when the topic's voices say it.
    """

    def rank(term: str) -> tuple[bool, bool, float, str]:
        score, share = scored[term]
        nominal = words_of[term] > 0
        bonus = 1 + PHRASE_BONUS * (abs(words_of[term]) - 1)
        return (not (nominal and share >= LABEL_SHARE), _is_context(term), -score * bonus, term)

    chosen: list[str] = []
    for term in sorted(scored, key=rank):
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == KEY_TERMS:
            break
    return chosen


def _label(terms: list[str]) -> str:
    """Return the label: the first term, and when it is short the next that is not a place or
    time word (食堂、关门, not 食堂、夜班)."""
    if not terms:
        return ""
    second = [term for term in terms[1:] if not _is_context(term)][: LABEL_TERMS - 1]
    if len(terms[0]) >= 4 or not second:
        return terms[0]
    return "、".join([terms[0], *second])


def _no_topics(
    keys: npt.NDArray[np.int64], vectorizer: TfidfVectorizer, blanker: re.Pattern[str]
) -> TopicModel:
    """Return a model with no topic and every text unclustered (nothing to tell them apart)."""
    import numpy as np

    return TopicModel(
        topics=[],
        vectorizer=vectorizer,
        svd=None,
        centers=np.zeros((0, 1), dtype=np.float32),
        blanker=blanker,
        fitted=False,
        unclustered=keys.tolist(),
    )


def _feature_weights(features: Sequence[str]) -> npt.NDArray[np.float32]:
    """Return each feature's weight: ``CONTEXT_WEIGHT`` for a place or time word, else 1."""
    import numpy as np

    return np.asarray(
        [CONTEXT_WEIGHT if _is_context(feature) else 1.0 for feature in features], np.float32
    )


@lru_cache(maxsize=1)
def _context_parts() -> frozenset[str]:
    """Return the context words and the character pairs inside the longer ones."""
    pairs = {word[i : i + 2] for word in CONTEXT if len(word) > 2 for i in range(len(word) - 1)}
    return frozenset(CONTEXT) | frozenset(pairs)


def _is_context(term: str) -> bool:
    """Return whether ``term`` is made of place and time words only (夜班, 夜班升井后)."""
    parts = _context_parts()
    ends = [True] + [False] * len(term)  # ends[i]: term[:i] splits into context words
    for end in range(2, len(term) + 1):
        ends[end] = any(ends[start] and term[start:end] in parts for start in range(end - 1))
    return ends[-1] if term else False


def _unit_sparse_rows(matrix: Any) -> Any:
    from sklearn.preprocessing import normalize as unit_length  # type: ignore[import-untyped]

    return unit_length(matrix, copy=False)


def _unit_rows(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the words never used to tell or name a topic: Chinese stopwords and ``FILLER``."""
    import stopwordsiso  # type: ignore[import-untyped,unused-ignore]

    return frozenset(stopwordsiso.stopwords("zh")) | frozenset(FILLER)


@lru_cache(maxsize=200_000)
def is_content_word(word: str) -> bool:
    """Return whether ``word`` may tell or name a topic (see the module's description)."""
    return (
        len(word) > 1
        and not word.isspace()
        and word not in stopwords()
        and not _COUNT.match(word)
        and not (word[-1] in _STOP_CHARS and word[:-1] in stopwords())
    )


def _content_runs(text: str) -> list[list[tuple[str, bool]]]:
    """Return the runs of adjacent content words of ``text`` (a filler word or a blank ends one),
    each word with whether it is a noun."""
    import rjieba

    runs: list[list[tuple[str, bool]]] = []
    run: list[tuple[str, bool]] = []
    for word, tag in rjieba.tag(text):
        if is_content_word(word):
            run.append((word, tag[:1] == "n" or tag in _NOUN_TAGS))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _features(text: str | list[str]) -> list[str]:
    """Return the content words of ``text`` and its two-word phrases, for clustering; a list is
    features found already (``find_topics`` segments each text once)."""
    if isinstance(text, list):
        return text
    return _run_features(_content_runs(text))


def _run_features(runs: list[list[tuple[str, bool]]]) -> list[str]:
    features: list[str] = []
    for tagged in runs:
        run = [word for word, _noun in tagged]
        features.extend(run)
        features.extend(a + b for a, b in pairwise(run))
        # The character pairs inside longer words link 停车位, 车位 and 停车场.
        features.extend(
            word[i : i + 2] for word in run if len(word) > 2 for i in range(len(word) - 1)
        )
    return features


def _run_phrases(runs: list[list[tuple[str, bool]]]) -> list[tuple[str, int]]:
    """Return the candidate labels of a text's content runs: content words and phrases of two or
    three, with their number of words, negative when none of them is a noun."""
    found: list[tuple[str, int]] = []
    for run in runs:
        for n in (1, 2, 3):
            for start in range(len(run) - n + 1):
                words = run[start : start + n]
                phrase = "".join(word for word, _noun in words)
                if len(phrase) <= 10:
                    found.append((phrase, n if any(noun for _w, noun in words) else -n))
    return found


def _blanker(ignore: Sequence[str]) -> re.Pattern[str]:
    """Return the pattern of what ``_prepare`` blanks out: the ``ignore`` phrases, punctuation."""
    phrases = sorted({normalize(p) for p in ignore if p.strip()}, key=len)
    alternatives = "|".join(re.escape(p) for p in reversed(phrases))
    return re.compile(rf"(?:{alternatives})|[\W_]+" if alternatives else r"[\W_]+")


def _prepare(texts: Sequence[str], blanker: re.Pattern[str]) -> list[str]:
    return [blanker.sub(" ", normalize(text)) for text in texts]
