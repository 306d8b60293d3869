"""Topics -> mentions: which sentences of a text name a tracked topic (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import Mention, Topic
from pipeline.sentences import split_sentences
from pipeline.topics import compile_terms


def find_mentions(text: str, topics: Sequence[Topic]) -> list[Mention]:
    """Every (topic, sentence) where a topic term appears, first match per sentence."""
    mentions: list[Mention] = []
    patterns = [(topic, compile_terms(topic.terms)) for topic in topics]
    named = [(topic, pattern) for topic, pattern in patterns if pattern.search(text)]
    if not named:
        return mentions  # most articles name no topic: skip splitting them into sentences
    sentences = split_sentences(text)
    for topic, pattern in named:
        for sentence in sentences:
            match = pattern.search(sentence.text)
            if match:
                mentions.append(Mention(topic=topic.id, term=match.group(), sentence=sentence.text,
                                        start=sentence.start, end=sentence.end))
    return mentions
