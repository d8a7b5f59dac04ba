"""Generated texts for the insight benchmarks: voices recombined from phrases, at any scale.

``varied_voices(n, seed)`` draws three clauses from all the topics' phrases, a place, a date and a
request, so that a million texts are mostly unrelated (as a real ledger's are), unlike
``synthetic.voices`` whose few templates repeat. ``topical_voices`` is ``synthetic.voices``:
topics the clustering should find.
"""

import random

from xinsheng.insight.nlp.synthetic import AREAS, MINES, REQUESTS, SHIFTS, TOPICS, voices

CLAUSES = [phrase for topic in TOPICS for phrase in (*topic.problems, *topic.details)]


def varied_voices(n: int, *, seed: int = 0) -> list[str]:
    """Return ``n`` texts made of three random clauses each, with a place, a date and a request."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        clauses = "，".join(rng.sample(CLAUSES, 3))
        texts.append(
            f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{rng.choice(MINES)}矿"
            f"{rng.choice(AREAS)}{rng.choice(SHIFTS)}{clauses}，{rng.choice(REQUESTS)}"
        )
    return texts


def topical_voices(n: int, *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Return ``n`` voices on the ten generated topics, and their topics."""
    return voices(n, seed=seed)


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process so far, in MB (Linux: ru_maxrss in kB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
