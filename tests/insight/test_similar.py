"""Similar voices: near duplicates are found, unrelated texts are not, the index keeps up."""

import random
from collections import defaultdict

import pytest

from xinsheng.core.normalize import normalize
from xinsheng.insight.nlp.similar import SimilarIndex, shingle_hashes
from xinsheng.insight.nlp.synthetic import variant, voices

CANTEEN = "三号井食堂的饭菜太咸了，夜班职工意见很大，希望改进。"
HOT_WATER = "单身宿舍热水供应不稳定，晚上洗澡经常洗到一半没有热水。"
SHUTTLE = "早班通勤班车严重超员，很多人站着坐一个多小时，存在安全隐患。"


def _jaccard_below(limit: float, texts: list[str]) -> list[str]:
    """Keep the texts whose exact shingle Jaccard with every text kept before is below ``limit``."""
    kept: list[frozenset[int]] = []
    postings: defaultdict[int, list[int]] = defaultdict(list)
    result: list[str] = []
    for text in texts:
        shingles = frozenset(shingle_hashes(normalize(text)).tolist())
        shared: defaultdict[int, int] = defaultdict(int)
        for shingle in shingles:
            for other in postings[shingle]:
                shared[other] += 1
        if all(n / (len(shingles) + len(kept[o]) - n) < limit for o, n in shared.items()):
            for shingle in shingles:
                postings[shingle].append(len(kept))
            kept.append(shingles)
            result.append(text)
    return result


def test_precision_and_recall_on_generated_duplicates() -> None:
    """Given 1,000 indexed voices, when each is asked for again as a near duplicate (edited,
    traditional, noisy or re-punctuated) and 500 unrelated voices are asked for too, then at
    least 95% of the answers are right and 95% of the duplicates are found."""
    generated, _ = voices(5000, seed=3)
    distinct = _jaccard_below(0.4, generated)
    indexed, unrelated = distinct[:1000], distinct[1000:1500]
    assert len(unrelated) == 500
    index = SimilarIndex()
    index.add_many(enumerate(indexed))
    rng = random.Random(4)  # noqa: S311 — generated test data
    found = wrong = missed = 0
    for key, text in enumerate(indexed):
        keys = [match.key for match in index.query(variant(text, rng))]
        found += key in keys
        missed += key not in keys
        wrong += sum(1 for other in keys if other != key)
    for text in unrelated:
        wrong += len(index.query(text))
    precision = found / (found + wrong)
    recall = found / (found + missed)
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.fixture
def index() -> SimilarIndex:
    index = SimilarIndex()
    index.add_many([(1, CANTEEN), (2, HOT_WATER), (3, SHUTTLE)])
    return index


def test_a_traditional_noisy_copy_finds_the_original(index: SimilarIndex) -> None:
    matches = index.query("三號井食堂(táng)的飯菜太鹹了, 夜班職工意見很大 x#9@Q\n希望改進!")
    assert [match.key for match in matches] == [1]
    assert matches[0].similarity >= 0.8


def test_an_unrelated_text_finds_nothing(index: SimilarIndex) -> None:
    assert index.query("矿灯电池续航不够，下井后半班就没电了。") == []
    assert index.query("") == []
    assert index.query("，。!?") == []


def test_added_removed_and_replaced_texts(index: SimilarIndex) -> None:
    index.add(4, CANTEEN + "请尽快处理。")
    assert [m.key for m in index.query(CANTEEN)] == [1, 4]
    assert [m.key for m in index.query(CANTEEN, exclude=1)] == [4]
    assert [m.key for m in index.query(CANTEEN, k=1)] == [1]
    index.remove(1)
    index.remove(99)  # unknown keys are ignored
    assert [m.key for m in index.query(CANTEEN)] == [4]
    index.add(4, SHUTTLE)  # a key added again takes its new text
    assert index.query(CANTEEN) == []
    assert {m.key for m in index.query(SHUTTLE)} == {3, 4}
    assert len(index) == 3
    assert 4 in index
    assert 1 not in index


def test_a_large_index_takes_additions_after_it_was_built() -> None:
    texts, _ = voices(11_000, seed=5)
    index = SimilarIndex()
    index.add_many(enumerate(texts))
    index.add(100_000, CANTEEN)
    index.remove(0)
    assert [m.key for m in index.query(CANTEEN)] == [100_000]
    assert 0 not in {m.key for m in index.query(texts[0], threshold=0.99)}
    assert 1 in {m.key for m in index.query(texts[1], threshold=0.99)}


def test_the_index_survives_serialisation(index: SimilarIndex) -> None:
    index.remove(2)
    index.add(5, HOT_WATER)
    restored = SimilarIndex.from_bytes(index.to_bytes())
    assert len(restored) == 3
    for text in (CANTEEN, HOT_WATER, SHUTTLE):
        assert restored.query(text) == index.query(text)
    restored.add(6, CANTEEN)
    assert [m.key for m in restored.query(CANTEEN)] == [1, 6]


def test_the_similarity_estimates_the_jaccard_of_shingles() -> None:
    index = SimilarIndex()
    a = "井下运输巷积水严重，职工每天蹚水上下班，希望尽快安排排水。"
    b = "井下运输巷积水严重，职工每天蹚水上下班，希望尽快安排水泵。"
    index.add(1, a)
    left = set(shingle_hashes(normalize(a)).tolist())
    right = set(shingle_hashes(normalize(b)).tolist())
    exact = len(left & right) / len(left | right)
    (match,) = index.query(b, threshold=0.0)
    assert match.similarity == pytest.approx(exact, abs=0.12)
