"""Copies, stories and the band-key index, on the seed corpus (archive/).

001 and 004 are one TASS report rewritten by two outlets (same story, not
copies); 002 and 003 are independent articles on the December 2025 summit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from pipeline.dedup import (
    STORY_BAND_OFFSET,
    Decision,
    DedupSettings,
    DuplicateIndex,
    Verdict,
    band_keys,
    classify,
    closest,
    compare_texts,
    copy_of,
    make_signature,
    make_story_signature,
    normalize_text,
    signature_from_bytes,
    signature_to_bytes,
    story_band_keys,
    story_of,
)
from pipeline.records import StoredArticle

ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(ARCHIVE.glob("*.txt"))}
SETTINGS = DedupSettings()


def decide(new: str, old: str) -> Decision:
    return classify(compare_texts(new, old, SETTINGS), SETTINGS).decision


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def words(text: str) -> list[str]:
    return text.split()


# --- copy variants ------------------------------------------------------------


def wrap_in_boilerplate(text: str) -> str:
    return (
        "EXCLUSIVE: India, Russia in fresh S-400 talks\nBy Defence Desk | Updated 2 hours ago\n"
        "Follow us on Google News\n" + text +
        "\n(With inputs from agencies)\nAlso read: Top defence stories of the week"
    )


def first_half(text: str) -> str:
    return " ".join(words(text)[: len(words(text)) // 2])


def first_two_thirds(text: str) -> str:
    return " ".join(words(text)[: 2 * len(words(text)) // 3])


def remove_paragraph(text: str) -> str:
    paras = paragraphs(text)
    longest = max(range(len(paras)), key=lambda i: len(paras[i]))
    return "\n\n".join(paras[:longest] + paras[longest + 1:])


def add_paragraph(text: str) -> str:
    paras = paragraphs(text)
    extra = ("Officials in New Delhi declined to comment on the report, saying that "
             "talks between the two governments were confidential and still ongoing.")
    return "\n\n".join(paras[:2] + [extra] + paras[2:])


def change_format(text: str) -> str:
    return (text.upper().replace("\u2019", "'").replace('"', "\u201c")
            .replace("-", " \u2013 ").replace(". ", " .\n\n   "))


def change_case_and_spaces(text: str) -> str:
    return "  ".join(text.lower().split())


COPY_VARIANTS: dict[str, Callable[[str], str]] = {
    "boilerplate": wrap_in_boilerplate,
    "first_half": first_half,
    "first_two_thirds": first_two_thirds,
    "paragraph_removed": remove_paragraph,
    "paragraph_added": add_paragraph,
    "quotes_dashes_punctuation": change_format,
    "case_whitespace": change_case_and_spaces,
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
@pytest.mark.parametrize("variant", sorted(COPY_VARIANTS))
def test_copy_variant_is_a_copy(seed: str, variant: str) -> None:
    assert decide(COPY_VARIANTS[variant](SEEDS[seed]), SEEDS[seed]) is Decision.COPY


@pytest.mark.parametrize("seed", sorted(SEEDS))
@pytest.mark.parametrize("variant", sorted(COPY_VARIANTS))
def test_copy_variant_is_a_candidate_of_its_source(seed: str, variant: str) -> None:
    index = DuplicateIndex()
    for i, name in enumerate(sorted(SEEDS)):
        index.add(i, band_keys(make_signature(SEEDS[name], SETTINGS), SETTINGS))
    copy = COPY_VARIANTS[variant](SEEDS[seed])
    candidates = index.query(band_keys(make_signature(copy, SETTINGS), SETTINGS))
    assert candidates[:1] == [sorted(SEEDS).index(seed)]


# --- not copies ---------------------------------------------------------------


@pytest.mark.parametrize("new, old", list(itertools.permutations(sorted(SEEDS), 2)))
def test_distinct_seed_articles_are_not_copies(new: str, old: str) -> None:
    assert decide(SEEDS[new], SEEDS[old]) is not Decision.COPY


@pytest.mark.parametrize("new, old", [("002", "003"), ("003", "002")])
def test_independent_summit_articles_are_distinct(new: str, old: str) -> None:
    assert decide(SEEDS[new], SEEDS[old]) is Decision.DISTINCT


@pytest.mark.parametrize("new, old", [("001", "004"), ("004", "001")])
def test_rewrites_of_one_report_are_the_same_story(new: str, old: str) -> None:
    assert decide(SEEDS[new], SEEDS[old]) is Decision.SAME_STORY


@pytest.mark.parametrize("old", sorted(SEEDS))
def test_follow_up_reusing_a_background_paragraph_is_not_a_copy(old: str) -> None:
    background = max(paragraphs(SEEDS[old]), key=len)
    new_reporting = SEEDS["003"] if old != "003" else SEEDS["000"]
    follow_up = new_reporting + "\n\n" + background
    assert decide(follow_up, SEEDS[old]) is not Decision.COPY


def test_follow_up_quoting_the_whole_old_article_but_adding_more_is_not_a_copy() -> None:
    follow_up = SEEDS["003"] + "\n\n" + SEEDS["002"] + "\n\n" + SEEDS["000"]
    similarity = compare_texts(follow_up, SEEDS["002"], SETTINGS)
    assert similarity.old_in_new > 0.95
    assert classify(similarity, SETTINGS).decision is not Decision.COPY


def test_short_text_contained_in_an_article_is_not_a_copy() -> None:
    assert decide("India and Russia are in talks", SEEDS["004"]) is not Decision.COPY


def test_identical_short_text_is_a_copy() -> None:
    assert decide("Leave Your Comment", "leave your  comment!") is Decision.COPY


# --- normalisation and signatures ------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("India\u2019s \u201cSpecial\u201d partnership", "india's \"special\" PARTNERSHIP"),
    ("2026\u20132027 \u2014 final units", "2026-2027 - final units"),
    ("  five\n\nunits\t, delayed.", "five units delayed"),
    ("\uff33-400 Triumf", "S-400 triumf"),
])
def test_normalize_text_folds_quotes_dashes_case_and_spaces(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_signature_round_trips_through_bytes(seed: str) -> None:
    signature = make_signature(SEEDS[seed], SETTINGS)
    assert signature_from_bytes(signature_to_bytes(signature)) == signature


def test_signature_from_bytes_rejects_other_data() -> None:
    with pytest.raises(ValueError, match="recompute it"):
        signature_from_bytes(b"\x02" + bytes(20))


def test_band_keys_are_bands_with_63_bit_keys() -> None:
    keys = band_keys(make_signature(SEEDS["001"], SETTINGS), SETTINGS)
    assert [band for band, _ in keys] == list(range(SETTINGS.bands))
    assert all(0 <= key < 2**63 for _, key in keys)


def test_band_keys_are_deterministic() -> None:
    first = band_keys(make_signature(SEEDS["002"], SETTINGS), SETTINGS)
    assert band_keys(make_signature(SEEDS["002"], SETTINGS), SETTINGS) == first


def test_story_band_keys_do_not_share_band_numbers_with_copy_keys() -> None:
    keys = story_band_keys(make_story_signature(SEEDS["001"], SETTINGS), SETTINGS)
    assert [band for band, _ in keys] == [STORY_BAND_OFFSET + b for b in range(SETTINGS.story_bands)]


def test_empty_text_has_no_band_keys() -> None:
    assert band_keys(make_signature(" \n ", SETTINGS), SETTINGS) == []


def test_rewrites_are_story_candidates() -> None:
    index = DuplicateIndex()
    index.add(4, story_band_keys(make_story_signature(SEEDS["004"], SETTINGS), SETTINGS))
    keys = story_band_keys(make_story_signature(SEEDS["001"], SETTINGS), SETTINGS)
    assert index.query(keys) == [4]


# --- the index ------------------------------------------------------------------


def test_index_ranks_candidates_by_shared_bands() -> None:
    index = DuplicateIndex()
    index.add(1, [(0, 10), (1, 11), (2, 12)])
    index.add(2, [(0, 10), (1, 99), (2, 98)])
    index.add(3, [(0, 77), (1, 78), (2, 79)])
    assert index.query([(0, 10), (1, 11), (2, 12)]) == [1, 2]


def test_index_keys_match_only_in_their_own_band() -> None:
    index = DuplicateIndex()
    index.add(1, [(0, 10)])
    assert index.query([(1, 10)]) == []


def test_index_finds_articles_across_merges() -> None:
    index = DuplicateIndex()
    rng = np.random.default_rng(3)
    for article_id in range(300):   # 300 x 42 rows: several merges of the pending part
        index.add(article_id, [(b, int(k)) for b, k in enumerate(rng.integers(0, 2**63 - 1, 42))])
    target = [(b, int(k)) for b, k in enumerate(np.random.default_rng(9).integers(0, 2**63 - 1, 42))]
    index.add(1000, target)
    assert index.query(target) == [1000]
    assert len(index) == 301 and index.rows == 301 * 42


def test_bulk_load_has_the_same_semantics_as_add() -> None:
    keys = np.array([[5, 6], [5, 7]], dtype=np.int64)
    bulk = DuplicateIndex()
    bulk.add_many(np.array([1, 2]), [0, 1], keys)
    single = DuplicateIndex()
    single.add(1, [(0, 5), (1, 6)])
    single.add(2, [(0, 5), (1, 7)])
    for query in ([(0, 5)], [(1, 7)], [(0, 5), (1, 6)]):
        assert bulk.query(query) == single.query(query)


# --- the decision over stored candidates (dedup.closest, copy_of, story_of) ----------------


def _stored(article_id: int, seed: str, story_id: int | None = None) -> StoredArticle:
    return StoredArticle(id=article_id, text=SEEDS[seed], duplicate_of_id=None, family_id=article_id,
                         story_id=story_id or article_id)


def test_the_closest_candidate_is_the_strongest_decision_then_the_highest_score() -> None:
    first_half = " ".join(SEEDS["001"].split()[: len(SEEDS["001"].split()) // 2])
    found = closest(first_half, [_stored(2, "002"), _stored(4, "004"), _stored(1, "001")], SETTINGS)
    assert found is not None and found[0].decision is Decision.COPY and found[1].id == 1
    assert closest(SEEDS["001"], [], SETTINGS) is None


def test_the_same_text_is_a_copy_without_looking_at_candidates() -> None:
    def untouched() -> Iterator[StoredArticle]:
        raise AssertionError("candidates were loaded")
        yield  # pragma: no cover
    found = copy_of(SEEDS["002"], _stored(2, "002"), untouched(), SETTINGS)
    assert found is not None and found[0] == Verdict(Decision.COPY, 1.0) and found[1].id == 2


def test_a_rewrite_is_not_a_copy_but_tells_the_same_story() -> None:
    candidates = [_stored(1, "001", story_id=7), _stored(3, "003")]
    assert copy_of(SEEDS["004"], None, candidates, SETTINGS) is None
    story = story_of(SEEDS["004"], candidates, SETTINGS)
    assert story is not None and story.id == 1 and story.story_id == 7
    assert story_of(SEEDS["002"], [_stored(1, "001")], SETTINGS) is None
