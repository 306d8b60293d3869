"""Topic mentions: terms, spellings, sentence offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.mentions import find_mentions
from pipeline.topics import load_builtin_topics

ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
TOPICS = load_builtin_topics()


@pytest.mark.parametrize(("text", "topics"), [
    ("India received the S-400 in 2021.", {"s400"}),
    ("The S400 system was deployed.", {"s400"}),
    ("The S 400 Triumf is Russian-made.", {"s400"}),
    ("The air force calls it Sudarshan Chakra.", {"s400"}),
    ("Delhi hosted the 23rd India-Russia Annual Summit.", {"summit"}),
    ("Modi and Putin met in the car after the SCO summit.", {"summit"}),
    ("The S-4000 is not a real system.", set()),
    ("Sales of Triumph motorcycles rose.", set()),
    ("The annual monsoon arrived early.", set()),
])
def test_terms_are_found_in_their_spellings(text: str, topics: set[str]) -> None:
    assert {m.topic for m in find_mentions(text, TOPICS)} == topics


def test_a_mention_records_its_sentence_and_offsets() -> None:
    text = "First sentence here. Then the S-400 arrived in Punjab. Last one."
    (mention,) = find_mentions(text, TOPICS)
    assert mention.sentence == "Then the S-400 arrived in Punjab."
    assert text[mention.start:mention.end] == mention.sentence
    assert mention.term == "S-400"


@pytest.mark.parametrize(("name", "topic"), [
    ("000_450f0c4fd5e356a1.txt", "s400"),
    ("002_8a2e0c3e3083bd75.txt", "summit"),
    ("003_1258bb85c02ed7f1.txt", "summit"),
])
def test_seed_articles_mention_their_topics(name: str, topic: str) -> None:
    text = (ARCHIVE / name).read_text(encoding="utf-8")
    mentions = [m for m in find_mentions(text, TOPICS) if m.topic == topic]
    assert mentions
    assert all(text[m.start:m.end] == m.sentence for m in mentions)
