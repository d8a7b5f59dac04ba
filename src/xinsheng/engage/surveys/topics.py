"""The topics of a survey's free texts, found with the insight tools (cheap: the latest few
hundred texts, a second or less)."""

from dataclasses import dataclass

from xinsheng.insight.nlp.topics import find_topics

MIN_TEXTS = 10
TOPICS_MAX = 8


@dataclass(frozen=True)
class TextTopic:
    label: str
    size: int


def topics_of(texts: list[str]) -> list[TextTopic]:
    """Return the largest topics among ``texts`` (none for fewer than ten texts)."""
    if len(texts) < MIN_TEXTS:
        return []
    model = find_topics(texts, min_topic_size=max(3, len(texts) // 20))
    return [TextTopic(label=topic.label, size=topic.size) for topic in model.topics[:TOPICS_MAX]]
