"""The claim reader on real reporting of deals of many countries (benchmarks/data/claims-world/).

    python -m benchmarks.claims_world [-v]

Real passages quoted from stored public news pages about procurement deals
of many countries in many currencies, a third of them distractors, labelled
in the claim JSON (the folder's README lists the sets). The deals are
configured only in TOML (topics-*.toml), as a user would.

A read claim is right when its topic, kind and value match a labelled one
(amounts within the precision they were written with and in the same
currency; schedules on the month, or the year when either side gives only a
year, of `latest`, or of `earliest` when `latest` is null; counts equal;
historical only against historical). Subjects are scored among the right
values. Any claim of the passage's topic read from a distractor counts against
the reader; claims of other configured topics are not scored (the passage is
labelled for its own topic only).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.claims import read_claims
from pipeline.records import Claim, ClaimKind, Count, Money, Topic, Window
from pipeline.topics import parse_topics

DATA = Path(__file__).resolve().parent / "data" / "claims-world"


@dataclass
class WorldScore:
    """Counts per kind, subjects among right values, distractors and the misses."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    subject_right: int = 0
    distractors: int = 0
    distractors_read: int = 0
    misses: list[str] = field(default_factory=list)

    def precision(self, kind: str) -> float:
        """Right claims among those read."""
        read = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / read if read else 1.0

    def recall(self, kind: str) -> float:
        """Labelled claims that were read."""
        labelled = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / labelled if labelled else 1.0


def load_world_topics(folder: Path = DATA) -> tuple[Topic, ...]:
    """Every topics-*.toml of the set, parsed as the config's [[topics]] are."""
    topics: list[Topic] = []
    for path in sorted(folder.glob("topics-*.toml")):
        topics.extend(parse_topics(tomllib.loads(path.read_text(encoding="utf-8")).get("topics", []), str(path)))
    return tuple(topics)


def _end(value: dict[str, Any]) -> str | None:
    return value.get("latest") or value.get("earliest")


def matches(claim: Claim, label: dict[str, Any]) -> bool:
    """Does a read claim have the labelled topic, kind, value and historical flag?"""
    if claim.topic != label["topic"] or claim.kind.value != label["kind"]:
        return False
    if claim.historical != bool(label.get("historical", False)):
        return False
    value, expected = claim.value, label["value"]
    if isinstance(value, Money):
        return (value.currency == expected["currency"]
                and abs(value.amount - Decimal(str(expected["amount"]))) <= max(value.precision, Decimal(1)))
    if isinstance(value, Window):
        end = value.latest or value.earliest
        wanted = _end(expected)
        if end is None or wanted is None or (value.latest is None) != (expected.get("latest") is None):
            return False
        wanted_on = date.fromisoformat(wanted)
        year_only = value.precision == "year" or (wanted_on.month == 12 and wanted_on.day == 31) or (
            expected.get("earliest", "") or "").endswith("-01-01")
        return (end.year, 0 if year_only else end.month) == (wanted_on.year, 0 if year_only else wanted_on.month)
    if isinstance(value, Count):
        return value.count == expected["count"]
    return False


def score_world(lines: Sequence[dict[str, Any]], topics: Sequence[Topic]) -> WorldScore:
    """Score read_claims on labelled passages."""
    score = WorldScore()
    for item in lines:
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        # A passage is labelled for its own topic only: what it says of another configured deal ("Indonesia's
        # Rafale order" in a passage on its submarines) is neither right nor wrong here.
        read = [c for c in read_claims(item["text"], topics, published, item.get("title") or "") if c.topic == item["topic"]]
        labels = list(item["claims"])
        if item.get("distractor"):
            score.distractors += 1
            score.distractors_read += bool(read)
        for claim in read:
            hit = next((label for label in labels if matches(claim, label)), None)
            if hit is None:
                score.fp[claim.kind.value] += 1
                score.misses.append(f"FP {item['id']}: {claim.kind.value} {claim.value} hist={claim.historical}"
                                    f" <- {item['text'][:110]}")
                continue
            labels.remove(hit)
            score.tp[claim.kind.value] += 1
            score.subject_right += claim.subject == hit["subject"]
            if claim.subject != hit["subject"]:
                score.misses.append(f"SUBJ {item['id']}: {claim.subject} != {hit['subject']}")
        for label in labels:
            score.fn[label["kind"]] += 1
            score.misses.append(f"FN {item['id']}: {label['kind']} {json.dumps(label['value'])}"
                                f"{' hist' if label.get('historical') else ''} <- {item['text'][:110]}")
    return score


def _set_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_each_set(folder: Path = DATA) -> dict[str, WorldScore]:
    """Each set with only its own topics configured, as the user who follows those deals would."""
    scores = {}
    for path in sorted(folder.glob("passages-*.jsonl")):
        name = path.stem.removeprefix("passages-")
        toml = folder / f"topics-{name}.toml"
        topics = parse_topics(tomllib.loads(toml.read_text(encoding="utf-8")).get("topics", []), str(toml))
        scores[name] = score_world(_set_lines(path), topics)
    return scores


def main(argv: Sequence[str] = ()) -> None:
    """Print precision and recall per kind, subject accuracy and distractors read."""
    lines = [line for path in sorted(DATA.glob("passages-*.jsonl")) for line in _set_lines(path)]
    score = score_world(lines, load_world_topics())
    print(f"claims-world: {len(lines)} passages, {score.distractors} distractors")
    print(f"  {'kind':<18} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind in ClaimKind:
        print(f"  {kind.value:<18} {score.precision(kind.value):>9.2f} {score.recall(kind.value):>7.2f} "
              f"{score.tp[kind.value]:>4} {score.fp[kind.value]:>4} {score.fn[kind.value]:>4}")
    right = sum(score.tp.values())
    print(f"  subject right among right values: {score.subject_right}/{right}")
    print(f"  distractors read as claims: {score.distractors_read}/{score.distractors}")
    print("\neach set with only its own topics (precision/recall):")
    print(f"  {'set':<4} {'deal_value':>10} {'delivery':>10} {'ordered':>10} {'delivered':>10} {'distractors':>12}")
    for name, own in score_each_set().items():
        cells = " ".join(f"{own.precision(k.value):.2f}/{own.recall(k.value):.2f}".rjust(10) for k in (
            ClaimKind.DEAL_VALUE, ClaimKind.DELIVERY_SCHEDULE, ClaimKind.UNITS_ORDERED, ClaimKind.UNITS_DELIVERED))
        print(f"  {name:<4} {cells} {f'{own.distractors_read}/{own.distractors}':>12}")
    if "-v" in argv:
        print("\n".join("    " + m for m in score.misses))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
