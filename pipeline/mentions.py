"""Topics -> mentions: which sentences of a text name a tracked topic (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import Mention, Topic
from pipeline.sentences import split_sentences
from pipeline.topics import compile_terms


def find_mentions(text: str, topics: Sequence[Topic]) -> list[Mention]:
    """Every (topic, sentence) where a topic term appears, first match per sentence."""
    mentions: list[Mention] = []
    sentences = split_sentences(text)
    for topic in topics:
        pattern = compile_terms(topic.terms)
        for sentence in sentences:
            match = pattern.search(sentence.text)
            if match:
                mentions.append(Mention(topic=topic.id, term=match.group(), sentence=sentence.text,
                                        start=sentence.start, end=sentence.end))
    return mentions
