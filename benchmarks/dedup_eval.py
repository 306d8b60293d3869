"""Labelled evaluation of copy detection and story grouping: `python -m benchmarks.dedup_eval`.

Corpus: the five seed articles (archive/) and the 181 ground-truth article
texts of ../shared/data/extraction-benchmark (read in place, never copied).
Every text is stored in a `DuplicateIndex`; then, through the full path
(signature -> band-key candidates -> compare_texts -> classify):

- each stored text is checked against all the others: independent articles,
  none may come out as a copy;
- generated copies of each text (boilerplate and headline around it, first
  half, first two thirds, a paragraph removed, a paragraph added, quote /
  dash / case / whitespace / punctuation variants) must come out as a copy
  of their source and of nothing else;
- generated follow-ups (another article's new text plus one background
  paragraph of the source) must not come out as a copy;
- story pairs: 001/004 and the same-event clusters of the ground-truth pages
  (labelled by hand from their URLs and texts, listed below) must be grouped;
  all other pairs must not, except pairs inside loosely related clusters,
  which are left out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.dedup import (
    Decision,
    DedupSettings,
    DuplicateIndex,
    Verdict,
    band_keys,
    classify,
    compare_texts,
    make_signature,
    make_story_signature,
    normalize_text,
    story_band_keys,
)

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT.parent / "shared" / "data"
GROUND_TRUTH = DATA / "extraction-benchmark" / "ground-truth.json"

# Same-event clusters among the ground-truth pages, by position in
# ground-truth.json (labelled by reading the pairs with the most shared
# content words; the URL of each cluster's first page is given).
STORY_CLUSTERS: tuple[tuple[int, ...], ...] = (
    (34, 106, 118),        # Doobie Brothers reunite with Michael McDonald
    (74, 81),              # New York man pleads guilty to threats
    (50, 177),             # Home Depot quarterly earnings
    (13, 72, 173),         # water vapour above Europa
    (76, 165),             # Scooter Braun / Taylor Swift dispute
    (3, 16),               # New York attorney general investigation
    (47, 98, 129, 164),    # bubonic plague cases in Inner Mongolia
    (124, 156),            # hibernating astronauts study
    (141, 153),            # Sweden drops the Assange investigation
    (84, 110, 111, 131),   # "feather duvet lung" case report
    (14, 44, 77),          # South Dakota "Meth. We're on it." campaign
    (46, 137, 148),        # NASA adds companies to the lunar lander programme
    (26, 51),              # Fort Worth kidnapping rescue video
)
# Related coverage, not one event: pairs inside these are not scored.
LOOSE_CLUSTERS: tuple[tuple[int, ...], ...] = (
    (6, 73, 83),           # Browns / Myles Garrett aftermath, opinion pieces
    (82, 89, 144),         # impeachment hearings, different days and angles
    (71, 88, 116, 155),    # Stadia launch reviews
    (37, 75, 150),         # US-China trade talks and markets
    (21, 63, 69),          # MacBook Pro launch coverage
    (24, 120, 163),        # Black Friday deals lists
    (46, 133),             # commercial lunar programme commentary
    (133, 137),
)

_BOILERPLATE_HEAD = (
    "BREAKING | {title}\nBy Staff Reporter | Updated {n} hours ago\nShare on Facebook Share on X\n",
    "{title}\nPublished {n} December 2025, 10:{n}0 IST\nFollow us on Google News\n",
)
_BOILERPLATE_FOOT = (
    "\nAlso read: Top stories of the day\nSubscribe to our newsletter for the latest updates.",
    "\n(With inputs from agencies)\nDisclaimer: this story is auto-generated from a syndicated feed.",
)


@dataclass(frozen=True)
class Case:
    """One query text and what it should be."""

    kind: str                 # the generator's name
    text: str
    source: int | None        # index of the text it copies, or None for a non-copy
    exclude: int | None       # index the query stands for (left out of its candidates)


def load_corpus() -> tuple[list[str], list[str]] | None:
    """Seed texts then ground-truth texts, with labels; None when ../shared/data is absent."""
    seeds = sorted((PROJECT / "archive").glob("*.txt"))
    if not GROUND_TRUTH.exists():
        return None
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    labels = [p.name[:3] for p in seeds] + [f"gt{i}" for i in range(len(truth))]
    texts = [p.read_text(encoding="utf-8") for p in seeds] + [v["articleBody"] for v in truth.values()]
    return labels, texts


def paragraphs(text: str) -> list[str]:
    """Non-empty lines; a single-paragraph text is cut into chunks of about 60 words."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) >= 3:
        return lines
    words = text.split()
    return [" ".join(words[i:i + 60]) for i in range(0, len(words), 60)]


def make_copies(text: str, other: str, rng: random.Random) -> list[tuple[str, str]]:
    """Copy variants of one text: (kind, variant)."""
    paras = paragraphs(text)
    words = text.split()
    title = " ".join(words[:8]).title()
    head = rng.choice(_BOILERPLATE_HEAD).format(title=title, n=rng.randint(1, 5))
    foot = rng.choice(_BOILERPLATE_FOOT)
    cut = rng.randrange(1, len(paras) - 1) if len(paras) > 2 else len(paras) - 1
    added = " ".join(other.split()[: max(20, len(words) // 8)])
    variants = [
        ("boilerplate", head + text + foot),
        ("first_half", " ".join(words[: len(words) // 2])),
        ("first_two_thirds", " ".join(words[: 2 * len(words) // 3])),
        ("paragraph_removed", "\n\n".join(paras[:cut] + paras[cut + 1:])),
        ("paragraph_added", "\n\n".join(paras[:cut] + [added] + paras[cut:])),
        ("format", _reformat(text)),
        ("boilerplate_two_thirds", head + " ".join(words[: 2 * len(words) // 3]) + foot),
    ]
    return variants


def _reformat(text: str) -> str:
    """Quote, dash, case, whitespace and punctuation changes that keep the words."""
    swapped = (
        text.replace("\u2019", "'").replace("'", "\u2019").replace('"', "\u201c")
        .replace(" - ", " \u2014 ").replace(",", " ,").replace(". ", ".  \n")
    )
    return swapped.upper() if len(swapped) % 2 else swapped.lower()


def make_follow_up(text: str, new_text: str, rng: random.Random) -> str:
    """New reporting (another article) that reuses one background paragraph of `text`."""
    paras = paragraphs(text)
    background = rng.choice(paras)
    new_paras = paragraphs(new_text)
    at = rng.randrange(0, len(new_paras) + 1)
    return "\n\n".join(new_paras[:at] + [background] + new_paras[at:])


@dataclass(frozen=True)
class Checker:
    """The full path over one index."""

    settings: DedupSettings
    texts: Sequence[str]
    index: DuplicateIndex

    def check(self, text: str, exclude: int | None) -> list[tuple[int, Verdict]]:
        """Verdicts for every candidate of `text`, best first."""
        keys = band_keys(make_signature(text, self.settings), self.settings)
        keys += story_band_keys(make_story_signature(text, self.settings), self.settings)
        verdicts = []
        for candidate in self.index.query(keys):
            if candidate == exclude:
                continue
            similarity = compare_texts(text, self.texts[candidate], self.settings)
            verdicts.append((candidate, classify(similarity, self.settings)))
        return verdicts


def build_index(texts: Sequence[str], settings: DedupSettings) -> DuplicateIndex:
    """An index of every text's copy and story band keys, ids = positions."""
    index = DuplicateIndex()
    for i, text in enumerate(texts):
        keys = band_keys(make_signature(text, settings), settings)
        index.add(i, keys + story_band_keys(make_story_signature(text, settings), settings))
    return index


def make_cases(texts: Sequence[str], rng: random.Random, min_words: int) -> list[Case]:
    """Originals as non-copies, their generated copies, and follow-ups."""
    cases = [Case("original", t, None, i) for i, t in enumerate(texts)]
    long_enough = [i for i, t in enumerate(texts) if len(t.split()) >= 2 * min_words]
    for i in long_enough:
        other = texts[rng.choice([j for j in long_enough if j != i])]
        cases += [Case(kind, variant, i, None) for kind, variant in make_copies(texts[i], other, rng)]
        fresh = rng.choice([j for j in long_enough if j != i and len(texts[j].split()) >= 150])
        # The new reporting is another stored article: leave it out of the
        # candidates, as if it had not been stored (else this is a copy of it).
        cases.append(Case("follow_up", make_follow_up(texts[i], texts[fresh], rng), None, fresh))
    return cases


def same_family(texts: Sequence[str]) -> dict[int, set[int]]:
    """Texts identical after normalisation (a corpus can hold the same text twice)."""
    by_text: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        by_text.setdefault(normalize_text(text), set()).add(i)
    return {i: family for family in by_text.values() for i in family}


def evaluate_copies(checker: Checker, cases: Sequence[Case]) -> dict[str, object]:
    """Precision and recall of copy detection, per kind, and non-copies hidden as copies."""
    family = same_family(checker.texts)
    tp = fp = fn = hidden = 0
    per_kind: dict[str, list[int]] = {}
    failures: list[str] = []
    for case in cases:
        copies_of = {c for c, v in checker.check(case.text, case.exclude) if v.decision is Decision.COPY}
        expected = family.get(case.source, set()) if case.source is not None else set()
        if case.exclude is not None and case.kind == "original":
            expected = expected | (family[case.exclude] - {case.exclude})
        hit = bool(copies_of & expected) if case.source is not None else True
        wrong = copies_of - expected
        tally = per_kind.setdefault(case.kind, [0, 0])
        tally[0] += 1
        if case.source is not None:
            tp += hit
            fn += not hit
        fp += bool(wrong)
        if case.source is None and wrong:
            hidden += 1
        if hit and not wrong:
            tally[1] += 1
        elif len(failures) < 12:
            failures.append(f"{case.kind} source={case.source} exclude={case.exclude} copies_of={sorted(copies_of)}")
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "hidden": hidden,
        "per_kind": per_kind,
        "failures": failures,
    }


def evaluate_stories(checker: Checker, labels: Sequence[str]) -> dict[str, object]:
    """Pairwise precision and recall of SAME_STORY over the labelled originals."""
    offset = labels.index("gt0")
    positive = {frozenset((labels.index("001"), labels.index("004")))}
    ignored: set[frozenset[int]] = set()
    for clusters, target in ((STORY_CLUSTERS, positive), (LOOSE_CLUSTERS, ignored)):
        for cluster in clusters:
            target.update(frozenset((offset + a, offset + b)) for a, b in itertools.combinations(cluster, 2))
    predicted: set[frozenset[int]] = set()
    pairwise: set[frozenset[int]] = set()
    for i, text in enumerate(checker.texts):
        for candidate, verdict in checker.check(text, i):
            if verdict.decision is Decision.SAME_STORY:
                predicted.add(frozenset((i, candidate)))
    for pair in positive:
        a, b = sorted(pair)
        if classify(compare_texts(checker.texts[a], checker.texts[b], checker.settings),
                    checker.settings).decision is Decision.SAME_STORY:
            pairwise.add(pair)
    scored = predicted - ignored
    tp = len(scored & positive)
    return {
        "precision": tp / len(scored) if scored else 1.0,
        "recall": tp / len(positive),
        "measure_recall": len(pairwise) / len(positive),
        "false": sorted(tuple(labels[i] for i in sorted(p)) for p in scored - positive),
        "missed": sorted(tuple(labels[i] for i in sorted(p)) for p in positive - scored),
        "seeds_001_004": frozenset((labels.index("001"), labels.index("004"))) in predicted,
        "seeds_002_003": frozenset((labels.index("002"), labels.index("003"))) in predicted,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated variants")
    parser.add_argument("--verbose", action="store_true", help="list failures, false and missed story pairs")
    args = parser.parse_args(argv)
    corpus = load_corpus()
    if corpus is None:
        print(f"skipped: {GROUND_TRUTH} not found; the evaluation needs ../shared/data next to the project")
        return 0
    labels, texts = corpus
    settings = DedupSettings()
    checker = Checker(settings, texts, build_index(texts, settings))
    cases = make_cases(texts, random.Random(args.seed), settings.min_words)
    copies = evaluate_copies(checker, cases)
    stories = evaluate_stories(checker, labels)
    n_copies = sum(c.source is not None for c in cases)
    print(f"corpus: {len(texts)} texts (5 seeds, {len(texts) - 5} ground-truth); "
          f"{len(cases)} queries ({n_copies} generated copies, {len(cases) - n_copies} non-copies)")
    print(f"copy detection   precision {copies['precision']:.4f}  recall {copies['recall']:.4f}  "
          f"(targets 0.99 / 0.95)")
    print(f"independent articles hidden as copies: {copies['hidden']} (target 0)")
    per_kind = copies["per_kind"]
    assert isinstance(per_kind, dict)
    for kind, (total, right) in sorted(per_kind.items()):
        print(f"  {kind:24s} {right:4d} / {total:4d} right")
    print(f"story grouping   precision {stories['precision']:.4f}  recall {stories['recall']:.4f}  "
          f"(measure alone, no candidate step: recall {stories['measure_recall']:.4f})")
    print(f"  seeds 001/004 same story: {stories['seeds_001_004']}; 002/003 same story: {stories['seeds_002_003']}")
    if args.verbose:
        for line in copies["failures"]:  # type: ignore[attr-defined]
            print("  copy failure:", line)
        print("  false story pairs:", stories["false"])
        print("  missed story pairs:", stories["missed"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
