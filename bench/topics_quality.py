"""Benchmark: how trustworthy hot topics are, on voices whose concrete problem is known.

The labelled set is generated from the hand-written templates of ``insight/nlp/problems.toml``
(twelve concrete problems, 6–10 differently worded templates each, with alternatives inside
them) plus 40 one-off voices that belong to no problem. ``find_topics`` runs on it with its
defaults, and the script prints:

- purity: the share of clustered voices whose topic's majority problem is their own;
- NMI (normalised mutual information) between problems and topics, over the clustered voices,
  and over all voices with the unclustered ones as one more group;
- the share of voices left unclustered (其他), and how many of the one-off voices are among them;
- how many topics each problem was split into;
- every topic's label, size, majority problem and the label a person gave the problem.

    .venv/bin/python bench/topics_quality.py                 # 300 voices per problem
    BENCH_TOPICS_PER_PROBLEM=60 .venv/bin/python bench/topics_quality.py

No database is needed.
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xinsheng.insight.nlp.problems import problem_set, voices
from xinsheng.insight.nlp.topics import find_topics


def main() -> None:
    from sklearn.metrics import normalized_mutual_info_score  # type: ignore[import-untyped]

    per_problem = int(os.environ.get("BENCH_TOPICS_PER_PROBLEM", "300"))
    data = problem_set()
    texts, codes = voices(per_problem, seed=1)
    print(
        f"{len(texts):,} voices: {len(data.problems)} problems × {per_problem}, "
        f"{codes.count(None)} one-off voices; load average {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    model = find_topics(texts, ignore=list(data.shared["place"]))
    seconds = time.perf_counter() - started
    topic_of = [-1] * len(texts)
    for topic in model.topics:
        for key in topic.members:
            topic_of[key] = topic.number
    clustered = [i for i in range(len(texts)) if topic_of[i] >= 0]
    majority = [Counter(codes[key] for key in t.members).most_common(1)[0] for t in model.topics]
    purity = sum(count for _code, count in majority) / max(1, len(clustered))
    truth = [str(code) for code in codes]
    nmi_clustered = normalized_mutual_info_score(
        [truth[i] for i in clustered], [topic_of[i] for i in clustered]
    )
    nmi_all = normalized_mutual_info_score(truth, topic_of)
    left = [codes[key] for key in model.unclustered]
    print(f"time              {seconds:.1f} s")
    print(f"topics            {len(model.topics)}")
    print(f"purity            {purity:.3f}")
    print(f"NMI               {nmi_clustered:.3f} clustered voices, {nmi_all:.3f} all voices")
    print(
        f"unclustered       {len(left) / len(texts):.1%} of the voices; "
        f"{left.count(None)} of the {codes.count(None)} one-off voices"
    )
    splits = Counter(code for code, _count in majority)
    print(
        "topics per problem "
        + ", ".join(f"{p.code} {splits.get(p.code, 0)}" for p in data.problems)
    )
    names = {p.code: p.label for p in data.problems}
    print("\n rank  size  label                 majority problem (its label)")
    for topic, (code, count) in zip(model.topics, majority, strict=True):
        name = f"{code} ({names.get(code or '', 'one-off')}) {count / topic.size:.0%}"
        print(f" {topic.number + 1:>4}  {topic.size:>4}  {topic.label:<20}  {name}")


if __name__ == "__main__":
    main()
