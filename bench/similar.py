"""Benchmark: the near-duplicate index of similar voices with 1,000,000 texts indexed.

Builds a ``SimilarIndex`` of generated voices (three clauses recombined from a pool of phrases,
with a place, a date and a request: ``insight_texts.varied_voices``), then times lookups:

- near duplicates of indexed texts (edited, traditional, noisy, re-punctuated), which must find
  their original;
- new texts, which mostly find nothing;
- one text added and removed at a time, as cases arrive and are merged.

Prints the build time, the peak memory of the process, the size of the serialised index, and the
p50/p99 latency of each kind of lookup (target: p99 ≤ 20 ms). No database is needed.

    .venv/bin/python bench/similar.py            # 1,000,000 texts
    BENCH_SIMILAR_TEXTS=100000 .venv/bin/python bench/similar.py
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from insight_texts import peak_rss_mb, varied_voices

from xinsheng.insight.nlp.similar import SimilarIndex
from xinsheng.insight.nlp.synthetic import variant

TEXTS = int(os.environ.get("BENCH_SIMILAR_TEXTS", "1000000"))
QUERIES = 2000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(label: str, runs: list[float]) -> None:
    print(
        f"  {label:<34} p50 {percentile(runs, 0.5):6.2f} ms   p99 {percentile(runs, 0.99):6.2f} ms"
        f"   max {max(runs):6.2f} ms"
    )


def main() -> None:
    rng = random.Random(1)
    started = time.perf_counter()
    texts = varied_voices(TEXTS, seed=1)
    print(f"generated {TEXTS:,} texts in {time.perf_counter() - started:.1f} s")
    print(f"  e.g. {texts[0]}")

    index = SimilarIndex()
    started = time.perf_counter()
    index.add_many(enumerate(texts))
    build = time.perf_counter() - started
    print(f"index built in {build:.1f} s ({TEXTS / build:,.0f} texts/s), {len(index):,} texts")
    print(f"peak memory {peak_rss_mb():,.0f} MB (process, texts included)")
    started = time.perf_counter()
    blob = index.to_bytes()
    print(f"serialised: {len(blob) / 2**20:,.0f} MB in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    SimilarIndex.from_bytes(blob)
    print(f"loaded from bytes in {time.perf_counter() - started:.1f} s")
    del blob

    print(f"{QUERIES:,} lookups of each kind (top 5, Jaccard ≥ 0.5):")
    picks = [rng.randrange(TEXTS) for _ in range(QUERIES)]
    duplicates = [variant(texts[i], rng) for i in picks]
    fresh = varied_voices(QUERIES, seed=2)
    for warm in duplicates[:50]:
        index.query(warm)

    runs: list[float] = []
    found = 0
    for key, text in zip(picks, duplicates, strict=True):
        started = time.perf_counter()
        matches = index.query(text)
        runs.append((time.perf_counter() - started) * 1000)
        found += any(match.key == key for match in matches)
    timed("near duplicate of an indexed text", runs)
    print(f"  original found for {found / QUERIES:.1%} of the near duplicates")

    runs = []
    hits = 0
    for text in fresh:
        started = time.perf_counter()
        hits += bool(index.query(text))
        runs.append((time.perf_counter() - started) * 1000)
    timed("new text", runs)
    print(f"  {hits / QUERIES:.1%} of the new texts matched something (random overlaps)")

    adds: list[float] = []
    removes: list[float] = []
    for offset, text in enumerate(fresh):
        key = TEXTS + offset
        started = time.perf_counter()
        index.add(key, text)
        adds.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        index.remove(key)
        removes.append((time.perf_counter() - started) * 1000)
    timed("add one text", adds)
    timed("remove one text", removes)
    print(f"peak memory at the end {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
