"""Topics -> mentions: which sentences of a text name a tracked topic (pure).

The names are the claim reader's (`topics.naming_phrases`: terms with their
plurals and possessives, and multi-word subject cues), so an article whose
claims are read always mentions its topic.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import Mention, Topic
from pipeline.sentences import split_sentences
from pipeline.topics import compile_names, fold, kind_nouns, named_only_by_kind, naming_phrases, topics_named


def find_mentions(text: str, topics: Sequence[Topic], title: str = "") -> list[Mention]:
    """Every (topic, sentence) where a topic is named, first match per sentence.

    A topic named only in the title is mentioned by the title (offsets 0, 0).
    """
    mentions: list[Mention] = []
    folded_title = fold(title)
    named = [(topic, compile_names(naming_phrases(topic) + (kind_nouns(topic) if named_only_by_kind(topic, text, title)
                                                           else ()))) for topic in topics_named(text, title, topics)]
    if not named:
        return mentions  # most articles name no topic: skip splitting them into sentences
    sentences = split_sentences(text)
    for topic, pattern in named:
        found = False
        for sentence in sentences:
            match = pattern.search(fold(sentence.text))
            if match:
                found = True
                mentions.append(Mention(topic=topic.id, term=sentence.text[match.start():match.end()],
                                        sentence=sentence.text, start=sentence.start, end=sentence.end))
        if not found:
            match = pattern.search(folded_title)
            if match:
                mentions.append(Mention(topic=topic.id, term=title[match.start():match.end()],
                                        sentence=title, start=0, end=0))
    return mentions
