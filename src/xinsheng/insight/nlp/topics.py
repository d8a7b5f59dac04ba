"""Hot topics: group the voices of a period into topics, each labelled by its key terms.

``find_topics(texts, keys=…)``:

1. texts are normalised (``normalize``); the caller's ``ignore`` phrases (unit names: a topic is
   about an issue, not a place) and punctuation are blanked out;
2. the rest is cut into words (``rjieba``, the Rust port of jieba, with its bundled dictionary);
   words of one character and words any voice may use (``BOILERPLATE``: 希望、尽快、解决…) are
   dropped, and the words are weighted by TF-IDF (sublinear term frequency, words in at least
   ``min_df`` texts, rows of unit length);
3. latent semantic analysis: a truncated SVD keeps the 100 strongest dimensions of the TF-IDF
   rows (words that occur together, such as 食堂/饭菜/窗口, fold into one dimension), and the
   reduced rows are scaled to unit length;
4. k-means groups the reduced rows (``KMeans`` with 4 starts up to 200,000 texts,
   ``MiniBatchKMeans`` beyond); on unit rows, Euclidean k-means ranks like cosine similarity.
   Everything is seeded: the same texts and seed give the same topics;
5. each topic is labelled by the words whose mean TF-IDF weight in the topic exceeds their mean
   weight in the whole period the most, skipping words inside a word already taken;
6. members are listed nearest to the centre first, so the first member is a typical voice.

``TopicModel.assign(texts)`` puts other texts (the previous period) into the same topics, or none
when they are far from all of them, so that a topic's trend can be counted.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy, scikit-learn and jieba are imported where topics are found (seconds)
    import numpy as np
    import numpy.typing as npt
    from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from xinsheng.core.normalize import normalize

_FORMAT = 1
# Words of requests and politeness that any voice may contain; they say nothing of its topic.
# They are dropped as whole words (so 请 goes, 请假 and 申请 stay).
BOILERPLATE = (
    "希望", "尽快", "尽早", "早日", "解决", "处理", "领导", "重视", "反映", "建议", "问题", "谢谢",
    "答复", "盼复", "回复", "落实", "相关部门", "有关部门", "相关", "有关", "部门", "核实", "协调",
    "帮忙", "改进", "一下", "说法", "安排", "人员", "研究", "能够", "能否", "可以", "请问", "请",
    "职工们", "职工", "大家", "我们", "普遍", "意见", "比较", "一个", "给个", "想问", "有个",
    "再次", "现在", "目前", "最近", "已经", "一直", "经常", "还是", "没有", "不能", "什么", "怎么",
    "为什么",
)  # fmt: skip
LABEL_TERMS = 3
KEY_TERMS = 8
DIMENSIONS = 100
FULL_KMEANS_UP_TO = 200_000


@dataclass
class Topic:
    """One topic: its label of key terms, its size and its members (nearest to the centre first)."""

    number: int
    label: str
    terms: list[str]
    size: int
    members: list[int] = field(repr=False)
    cohesion: float = 0.0  # mean cosine similarity of the members to the centre


@dataclass
class TopicModel:
    """The topics of a period, and what is needed to put more texts into them."""

    topics: list[Topic]
    vectorizer: TfidfVectorizer = field(repr=False)
    svd: TruncatedSVD | None = field(repr=False)
    centers: npt.NDArray[np.float32] = field(repr=False)
    blanker: re.Pattern[str] = field(repr=False)
    fitted: bool = True  # False: the texts had no words to tell them apart, nothing to assign to

    def assign(self, texts: Sequence[str], *, min_similarity: float = 0.15) -> list[int | None]:
        """Return the topic number of each of ``texts``, or None when it fits none of them."""
        if not texts or not self.fitted:
            return [None] * len(texts)
        # Not scaled to unit length: a text whose words the period never used projects to a
        # short vector and fits no topic, instead of being blown up to fit one at random.
        rows = self.vectorizer.transform(_prepare(texts, self.blanker))
        reduced = _reduce(rows, self.svd, unit=False)
        similarity = reduced @ self.centers.T
        best = similarity.argmax(axis=1)
        return [
            int(topic) if similarity[i, topic] >= min_similarity else None
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


def default_topic_count(n: int) -> int:
    """Return how many topics to look for among ``n`` texts: one per 20 texts, 2 to 40."""
    return max(2, min(40, n // 20))


def find_topics(
    texts: Sequence[str],
    *,
    keys: Sequence[int] | None = None,
    n_topics: int | None = None,
    seed: int = 0,
    min_df: int = 2,
    ignore: Sequence[str] = (),
    threads: int = 1,
) -> TopicModel:
    """Group ``texts`` into topics, largest first; members are ``keys`` (default: positions).

    ``ignore`` lists phrases that say nothing of the topic, such as the names of the units.
    ``min_df`` applies from 100 texts on; below that every word counts. ``threads`` bounds the
    BLAS and OpenMP threads of the SVD and k-means: on a machine other work shares, one thread is
    several times faster than two that wait for each other.
    Fewer topics than asked come back when the texts are few or alike.
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
    vectorizer = TfidfVectorizer(
        analyzer=_words,
        min_df=min_df if len(texts) >= 100 else 1,
        max_features=200_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        rows = vectorizer.fit_transform(_prepare(texts, blanker))
    except ValueError:  # nothing left to weigh: every text is boilerplate or punctuation
        rows = None
    if rows is None or rows.shape[1] < 2:
        return _one_topic(member_keys, vectorizer, blanker)
    dimensions = min(DIMENSIONS, rows.shape[1] - 1, rows.shape[0] - 1)
    svd = TruncatedSVD(dimensions, random_state=seed) if dimensions >= 2 else None
    k = min(n_topics or default_topic_count(len(texts)), len(texts))
    with threadpool_limits(limits=threads):
        if svd is not None:
            svd.fit(rows)
        reduced = _reduce(rows, svd)
        assigned, centers = _cluster(reduced, k=k, seed=seed)
    terms = np.asarray(vectorizer.get_feature_names_out())
    overall = np.asarray(rows.mean(axis=0), dtype=np.float32).ravel()
    found: list[tuple[Topic, npt.NDArray[np.float32]]] = []
    for cluster in range(k):
        members = np.flatnonzero(assigned == cluster)
        if not len(members):
            continue
        closeness = reduced[members] @ centers[cluster]
        order = np.argsort(-closeness, kind="stable")
        weights = np.asarray(rows[members].mean(axis=0), dtype=np.float32).ravel() - overall
        key_terms = _key_terms(weights, terms)
        topic = Topic(
            number=0,
            label="、".join(key_terms[:LABEL_TERMS]),
            terms=key_terms,
            size=len(members),
            members=member_keys[members[order]].tolist(),
            cohesion=round(float(closeness.mean()), 4),
        )
        found.append((topic, centers[cluster]))
    found.sort(key=lambda pair: (-pair[0].size, pair[0].label))
    for number, (topic, _center) in enumerate(found):
        topic.number = number
    return TopicModel(
        topics=[topic for topic, _center in found],
        vectorizer=vectorizer,
        svd=svd,
        centers=np.asarray([center for _topic, center in found], dtype=np.float32),
        blanker=blanker,
    )


def _reduce(rows: Any, svd: TruncatedSVD | None, *, unit: bool = True) -> npt.NDArray[np.float32]:
    """Return the rows in the reduced space, at unit length if ``unit``."""
    import numpy as np

    dense = np.asarray(svd.transform(rows) if svd is not None else rows.toarray(), np.float32)
    return _unit_rows(dense) if unit else dense


def _cluster(
    reduced: npt.NDArray[np.float32], *, k: int, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Return the cluster of each row and the unit-length centres."""
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans  # type: ignore[import-untyped]

    if len(reduced) <= FULL_KMEANS_UP_TO:
        kmeans = KMeans(n_clusters=k, n_init=4, random_state=seed)
    else:
        kmeans = MiniBatchKMeans(
            n_clusters=k, batch_size=8192, n_init=3, random_state=seed, max_no_improvement=20
        )
    assigned = np.asarray(kmeans.fit_predict(reduced), dtype=np.int64)
    return assigned, _unit_rows(np.asarray(kmeans.cluster_centers_, dtype=np.float32))


def _one_topic(
    keys: npt.NDArray[np.int64], vectorizer: TfidfVectorizer, blanker: re.Pattern[str]
) -> TopicModel:
    """Return a model with all texts in one unlabelled topic (nothing to tell them apart)."""
    import numpy as np

    topic = Topic(number=0, label="", terms=[], size=len(keys), members=keys.tolist())
    return TopicModel(
        topics=[topic],
        vectorizer=vectorizer,
        svd=None,
        centers=np.zeros((1, 1), dtype=np.float32),
        blanker=blanker,
        fitted=False,
    )


def _unit_rows(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


def _key_terms(weights: npt.NDArray[np.float32], terms: npt.NDArray[np.str_]) -> list[str]:
    """Return the heaviest terms, skipping those inside a heavier one or holding it (安全隐患)."""
    import numpy as np

    chosen: list[str] = []
    for index in np.argsort(-weights)[: KEY_TERMS * 8]:
        if weights[index] <= 0:
            break
        term = str(terms[index])
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == KEY_TERMS:
            break
    return chosen


_BOILERPLATE_WORDS = frozenset(BOILERPLATE)


def _words(text: str) -> list[str]:
    """Return the words of ``text`` that may tell its topic (two characters or more)."""
    import rjieba

    return [
        word
        for word in rjieba.cut(text)
        if len(word) > 1 and not word.isspace() and word not in _BOILERPLATE_WORDS
    ]


def _blanker(ignore: Sequence[str]) -> re.Pattern[str]:
    """Return the pattern of what ``_prepare`` blanks out: the ``ignore`` phrases, punctuation."""
    phrases = sorted({normalize(p) for p in ignore if p.strip()}, key=len)
    alternatives = "|".join(re.escape(p) for p in reversed(phrases))
    return re.compile(rf"(?:{alternatives})|[\W_]+" if alternatives else r"[\W_]+")


def _prepare(texts: Sequence[str], blanker: re.Pattern[str]) -> list[str]:
    return [blanker.sub(" ", normalize(text)) for text in texts]
