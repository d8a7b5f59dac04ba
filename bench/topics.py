"""Benchmark: hot topics of 100,000 voices (and 1,000,000 with ``BENCH_TOPICS_FULL=1``).

Generates voices on ten known themes (``insight_texts.topical_voices``), runs ``find_topics``
with its defaults and prints, for each size, the time of the whole run and the processor time it
took (on a shared machine the time waits for other work; the processor time does not), the load
average, the peak memory of the process, how pure the topics are (the share of voices whose
topic's majority theme is their own) and the five largest topics with their labels. Targets on
this 2-core machine: 100,000 texts ≤ 60 s, 1,000,000 ≤ 10 minutes. No database is needed.

    .venv/bin/python bench/topics.py
    BENCH_TOPICS_FULL=1 .venv/bin/python bench/topics.py
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from insight_texts import peak_rss_mb, topical_voices

from xinsheng.insight.nlp.synthetic import AREAS, MINES
from xinsheng.insight.nlp.topics import find_topics

UNITS = [f"{mine}矿" for mine in MINES] + list(AREAS)


def run(size: int) -> None:
    texts, themes = topical_voices(size, seed=7)
    print(f"{size:,} voices, peak memory before {peak_rss_mb():,.0f} MB")
    load = os.getloadavg()[0]
    started, processor = time.perf_counter(), time.process_time()
    model = find_topics(texts, ignore=UNITS, seed=0)
    seconds = time.perf_counter() - started
    processor = time.process_time() - processor
    pure = sum(
        Counter(themes[key] for key in topic.members).most_common(1)[0][1] for topic in model.topics
    )
    print(
        f"  {len(model.topics)} topics in {seconds:.1f} s ({size / seconds:,.0f} texts/s), "
        f"processor {processor:.1f} s, load average {load:.1f}; "
        f"peak memory {peak_rss_mb():,.0f} MB; purity {pure / size:.1%}; "
        f"unclustered {len(model.unclustered) / size:.1%}"
    )
    for topic in model.topics[:5]:
        print(f"  #{topic.number} {topic.size:>7,}  {topic.label}   e.g. {texts[topic.members[0]]}")


def main() -> None:
    run(100_000)
    if os.environ.get("BENCH_TOPICS_FULL") == "1":
        run(1_000_000)


if __name__ == "__main__":
    main()
