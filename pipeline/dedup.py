"""Signatures and the near-duplicate index: copies and stories.

The only module that imports datasketch; its MinHash objects never leave it.

Two questions, two measures, each with a sub-linear candidate step and an
exact check of the candidates:

    text --normalize_text--> words
      |-- word 5-shingles --MinHash--> Signature --band_keys--------> copy candidates
      |                                                                 |
      |-- salient terms ----MinHash--> Signature --story_band_keys--> story candidates
      |                                                                 v
      '------------------------------------------------ compare_texts(new, stored text)
                                                                        |
                                                             classify -> Verdict

Copies are judged on word shingles by containment in both directions (a
copy adds little that the original does not have). Stories are found by a
MinHash over "salient terms" (names, numbers, long words) and judged on the
content-word pairs two texts share outside long verbatim runs: rewrites of
one report keep names, numbers and phrases in new sentences, while two pages
of one site share whole paragraphs of boilerplate and nothing else.

Band keys are plain `(band, key)` integer pairs, so the store can keep them in
an indexed SQL table `(band, key) -> article_id` and find candidates with one
query; `DuplicateIndex` is the same table in memory. Copy bands are numbered
`0 .. bands-1` and story bands `STORY_BAND_OFFSET ..`, so both fit one table.

The defaults of `DedupSettings` come from `python -m benchmarks.dedup_eval`
(seed corpus, the 181 ground-truth texts of ../shared/data, generated
variants); the figures are quoted beside each setting.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from pipeline.config import DedupSettings as DedupSettings  # the settings record lives at the ground
from pipeline.records import StoredArticle

# Story bands live in the same (band, key) table as copy bands, numbered from
# here so that the two never collide.
STORY_BAND_OFFSET = 1000

_SIGNATURE_FORMAT = 1
_HEADER = struct.Struct("<BII")   # format version, distinct features, number of values
_KEY_MASK = (1 << 63) - 1         # keys fit a signed 64-bit column (SQLite INTEGER, PG BIGINT)

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
})
_WORD = re.compile(r"\w+")

# A small English function-word list: salient terms leave these out even when
# capitalised at a sentence start.
_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each
even few for from further had has have having he her here hers him his how however i
if in into is it its itself just may me might more most much must my no nor not now of
off on once only or other our ours out over own per said same she should since so some
such than that the their theirs them then there these they this those through to too
under until up upon us very via was we were what when where which while who whom why
will with within without would yet you your
""".split())


class Decision(StrEnum):
    """What a new article is to a stored one."""

    COPY = "copy"              # the same text, give or take boilerplate, a cut or a paragraph
    SAME_STORY = "same_story"  # another telling of the same report
    DISTINCT = "distinct"


@dataclass(frozen=True)
class Signature:
    """MinHash values of one text's feature set, and how many features it had."""

    values: tuple[int, ...]
    features: int

    @property
    def is_empty(self) -> bool:
        """True when the text had no features (no band keys are made for it)."""
        return self.features == 0


@dataclass(frozen=True)
class Similarity:
    """Exact similarity of a new text to a stored one."""

    new_in_old: float     # share of the new text's shingles found in the old text
    old_in_new: float     # share of the old text's shingles found in the new text
    jaccard: float
    story: float          # shared content-word pairs outside verbatim passages, over the smaller set
    shared_pairs: int
    new_words: int
    identical: bool       # same normalised text


@dataclass(frozen=True)
class Verdict:
    """The decision for one pair and the score it rests on."""

    decision: Decision
    score: float


# --- text -------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Fold case, quotes, dashes, punctuation and whitespace: words joined by spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(_WORD.findall(folded))


def make_shingles(text: str, settings: DedupSettings) -> frozenset[str]:
    """Word k-shingles of the normalised text (the whole text if shorter than k)."""
    return _shingle_set(normalize_text(text), settings)


def text_hash(normalized: str) -> str:
    """The identity of a normalised text (`normalize_text`): identical copies share it."""
    return hashlib.sha256(normalized.encode()).hexdigest()


def _shingle_set(normalized: str, settings: DedupSettings) -> frozenset[str]:
    return frozenset(_shingles(normalized.split(), settings.shingle_words))


def find_salient_terms(text: str) -> frozenset[str]:
    """Names, numbers and long words: what a rewrite of the same report keeps (story candidates)."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    terms: set[str] = set()
    for match in _WORD.finditer(folded):
        word = match.group()
        lower = word.casefold()
        if lower in _STOPWORDS:
            continue
        if any(c.isdigit() for c in word) or word[0].isupper() or len(word) >= 9:
            terms.add(lower)
    return frozenset(terms)


# --- signatures and band keys -----------------------------------------------


def make_signature(text: str, settings: DedupSettings) -> Signature:
    """MinHash signature of the text's word shingles (for copy candidates)."""
    return signature_of_normalized(normalize_text(text), settings)


def signature_of_normalized(normalized: str, settings: DedupSettings) -> Signature:
    """`make_signature` of a text already passed through `normalize_text` (normalised once per article)."""
    return _minhash(_shingle_set(normalized, settings), settings.num_perm, settings.seed)


def make_story_signature(text: str, settings: DedupSettings) -> Signature:
    """MinHash signature of the text's salient terms (for story candidates)."""
    return _minhash(find_salient_terms(text), settings.story_num_perm, settings.seed)


def band_keys(signature: Signature, settings: DedupSettings) -> list[tuple[int, int]]:
    """Copy-candidate keys `(band, key)`, bands numbered from 0."""
    return _band_keys(signature, settings.bands, settings.rows, 0)


def story_band_keys(signature: Signature, settings: DedupSettings) -> list[tuple[int, int]]:
    """Story-candidate keys `(band, key)`, bands numbered from STORY_BAND_OFFSET."""
    return _band_keys(signature, settings.story_bands, settings.story_rows, STORY_BAND_OFFSET)


def signature_to_bytes(signature: Signature) -> bytes:
    """Serialise a signature: a small header, then 32-bit little-endian values."""
    header = _HEADER.pack(_SIGNATURE_FORMAT, signature.features, len(signature.values))
    return header + np.asarray(signature.values, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    """Read a signature written by `signature_to_bytes`."""
    version, features, count = _HEADER.unpack_from(data)
    if version != _SIGNATURE_FORMAT or len(data) != _HEADER.size + 4 * count:
        raise ValueError(
            f"not a signature of format {_SIGNATURE_FORMAT} "
            f"(version {version}, {len(data)} bytes); recompute it with make_signature"
        )
    values = np.frombuffer(data, dtype="<u4", offset=_HEADER.size, count=count)
    return Signature(values=tuple(int(v) for v in values), features=features)


def _minhash(features: Iterable[str], num_perm: int, seed: int) -> Signature:
    items = [f.encode("utf-8") for f in features]
    if not items:
        return Signature(values=(), features=0)
    # Imported here: `import datasketch` loads its LSH classes and, through
    # them, scipy (about 0.5 s), which no command that only reads needs.
    from datasketch.minhash import MinHash

    minhash = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    minhash.update_batch(items)
    return Signature(values=tuple(minhash.hashvalues.tolist()), features=len(items))


def _band_keys(signature: Signature, bands: int, rows: int, offset: int) -> list[tuple[int, int]]:
    if signature.is_empty:
        return []   # an empty text is like every other empty text: no candidates
    if len(signature.values) < bands * rows:
        raise ValueError(
            f"signature has {len(signature.values)} values, settings need {bands} x {rows}; "
            "recompute it with the same settings"
        )
    raw = np.asarray(signature.values[: bands * rows], dtype="<u4").tobytes()
    width = 4 * rows
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(raw[band * width:(band + 1) * width], digest_size=8).digest()
        keys.append((offset + band, int.from_bytes(digest, "little") & _KEY_MASK))
    return keys


# --- verification -----------------------------------------------------------


def compare_texts(new_text: str, old_text: str, settings: DedupSettings) -> Similarity:
    """Exact shingle containment both ways, Jaccard, and paraphrase overlap."""
    new_words, old_words = normalize_text(new_text).split(), normalize_text(old_text).split()
    k = settings.shingle_words
    new_sh, old_sh = _shingles(new_words, k), _shingles(old_words, k)
    common = new_sh.keys() & old_sh.keys()
    union = len(new_sh) + len(old_sh) - len(common)
    # Story evidence is what two texts share *outside* passages they share
    # verbatim: a rewrite keeps names, numbers and phrases ("five S-400
    # Triumf systems") in new sentences, while two pages of one site share
    # whole paragraphs of boilerplate and nothing else.
    run = settings.story_verbatim_words
    new_runs, old_runs = _shingles(new_words, run), _shingles(old_words, run)
    verbatim = new_runs.keys() & old_runs.keys() if len(new_words) >= run and len(old_words) >= run else set()
    new_pairs = _content_pairs(new_words, _covered(verbatim, new_runs, run))
    old_pairs = _content_pairs(old_words, _covered(verbatim, old_runs, run))
    new_all, old_all = _content_pairs(new_words, set()), _content_pairs(old_words, set())
    shared_pairs = len(new_pairs & old_pairs)
    smaller = min(len(new_all), len(old_all))
    return Similarity(
        new_in_old=len(common) / len(new_sh) if new_sh else 0.0,
        old_in_new=len(common) / len(old_sh) if old_sh else 0.0,
        jaccard=len(common) / union if union else 0.0,
        story=shared_pairs / smaller if smaller else 0.0,
        shared_pairs=shared_pairs,
        new_words=len(new_words),
        identical=new_words == old_words,
    )


def _shingles(words: Sequence[str], k: int) -> dict[str, int]:
    """Each distinct word k-shingle and the first position it starts at."""
    if len(words) < k:
        return {" ".join(words): 0} if words else {}
    starts: dict[str, int] = {}
    for i in range(len(words) - k + 1):
        starts.setdefault(" ".join(words[i:i + k]), i)
    return starts


def _covered(common: set[str], starts: dict[str, int], k: int) -> set[int]:
    """Word positions inside shingles that both texts contain."""
    covered: set[int] = set()
    for shingle in common:
        first = starts[shingle]
        covered.update(range(first, first + k))
    return covered


def _content_pairs(words: Sequence[str], skip: set[int]) -> set[tuple[str, str]]:
    """Adjacent content-word pairs (function words dropped), skipping covered positions."""
    content = [(i, w) for i, w in enumerate(words) if w not in _STOPWORDS]
    return {
        (a, b) for (i, a), (j, b) in zip(content, content[1:])
        if i not in skip and j not in skip
    }


def classify(similarity: Similarity, settings: DedupSettings) -> Verdict:
    """Decide copy, same story or distinct from an exact similarity."""
    s = similarity
    if s.identical and s.new_words > 0:
        return Verdict(Decision.COPY, 1.0)
    if s.new_words >= settings.min_words:
        if s.new_in_old >= settings.copy_containment:
            return Verdict(Decision.COPY, s.new_in_old)
        if (s.old_in_new >= settings.copy_enclosure
                and s.new_in_old >= settings.copy_enclosure_min_containment):
            return Verdict(Decision.COPY, s.old_in_new)
    if s.story >= settings.story_overlap and s.shared_pairs >= settings.story_min_shared:
        return Verdict(Decision.SAME_STORY, s.story)
    return Verdict(Decision.DISTINCT, max(s.new_in_old, s.story))


# The stronger decision wins, then the higher score: a copy over a story over nothing.
_RANK = {Decision.DISTINCT: 0, Decision.SAME_STORY: 1, Decision.COPY: 2}


def closest(text: str, candidates: Iterable[StoredArticle], settings: DedupSettings,
            verdicts: MutableMapping[int, Verdict] | None = None) -> tuple[Verdict, StoredArticle] | None:
    """The strongest verified verdict of `text` against stored candidates (None: no candidate).

    `verdicts` remembers each candidate's verdict by id (a stored text never
    changes), so deciding again against a refreshed list compares only the new ones.
    """
    best: tuple[Verdict, StoredArticle] | None = None
    for candidate in candidates:
        verdict = verdicts.get(candidate.id) if verdicts is not None else None
        if verdict is None:
            verdict = classify(compare_texts(text, candidate.text, settings), settings)
            if verdicts is not None:
                verdicts[candidate.id] = verdict
        if best is None or (_RANK[verdict.decision], verdict.score) > (_RANK[best[0].decision], best[0].score):
            best = (verdict, candidate)
    return best


def copy_of(text: str, same_text: StoredArticle | None, candidates: Iterable[StoredArticle],
            settings: DedupSettings, verdicts: MutableMapping[int, Verdict] | None = None,
            ) -> tuple[Verdict, StoredArticle] | None:
    """The stored original `text` copies, if any: the same normalised text without a look at the
    candidates (syndicated and re-linked articles often are), else the closest verified copy."""
    if same_text is not None:
        return Verdict(Decision.COPY, 1.0), same_text
    found = closest(text, candidates, settings, verdicts)
    return found if found is not None and found[0].decision is Decision.COPY else None


def story_of(text: str, candidates: Iterable[StoredArticle], settings: DedupSettings,
             verdicts: MutableMapping[int, Verdict] | None = None) -> StoredArticle | None:
    """The stored article whose story `text` tells too (a copy of it counts), if any."""
    found = closest(text, candidates, settings, verdicts)
    return found[1] if found is not None and found[0].decision is not Decision.DISTINCT else None


# --- the index --------------------------------------------------------------


class DuplicateIndex:
    """In-memory `(band, key) -> article_id` postings: the store's SQL table, without SQL.

    Each band keeps a sorted array of keys with the article ids beside them
    (16 bytes per band key) and a small dictionary of recent additions that is
    merged in once it grows past a quarter of the sorted part, so adding one
    article at a time costs amortised O(log n) and a query is one binary
    search per band key.
    """

    _MIN_PENDING = 4096

    def __init__(self) -> None:
        self._keys: dict[int, np.ndarray] = {}
        self._ids: dict[int, np.ndarray] = {}
        self._pending: dict[tuple[int, int], list[int]] = {}
        self._pending_rows = 0
        self._rows = 0
        self._articles: set[int] = set()

    def __len__(self) -> int:
        return len(self._articles)

    @property
    def rows(self) -> int:
        """Stored `(band, key, article_id)` rows."""
        return self._rows + self._pending_rows

    def add(self, article_id: int, keys: Sequence[tuple[int, int]]) -> None:
        """Store an article's band keys (copy and story keys alike)."""
        self._articles.add(article_id)
        for band_key in keys:
            self._pending.setdefault(band_key, []).append(article_id)
        self._pending_rows += len(keys)
        if self._pending_rows > max(self._MIN_PENDING, self._rows // 4):
            self._merge()

    def add_many(self, article_ids: np.ndarray, bands: Sequence[int], keys: np.ndarray) -> None:
        """Bulk-load: `keys[i, j]` is article `article_ids[i]`'s key in band `bands[j]`."""
        ids = np.asarray(article_ids, dtype=np.int64)
        matrix = np.asarray(keys, dtype=np.int64)
        if matrix.shape != (len(ids), len(bands)):
            raise ValueError(f"keys must be {len(ids)} x {len(bands)}, got {matrix.shape}")
        self._articles.update(ids.tolist())
        self._merge()
        for column, band in enumerate(bands):
            self._insert_sorted(band, matrix[:, column], ids)
        self._rows += matrix.size

    def query(self, keys: Sequence[tuple[int, int]]) -> list[int]:
        """Article ids sharing at least one band key, most shared bands first."""
        counts: dict[int, int] = {}
        for band, key in keys:
            sorted_keys = self._keys.get(band)
            if sorted_keys is not None:
                lo = int(np.searchsorted(sorted_keys, key, side="left"))
                hi = int(np.searchsorted(sorted_keys, key, side="right"))
                for article_id in self._ids[band][lo:hi].tolist():
                    counts[article_id] = counts.get(article_id, 0) + 1
            for article_id in self._pending.get((band, key), ()):
                counts[article_id] = counts.get(article_id, 0) + 1
        return sorted(counts, key=lambda a: (-counts[a], a))

    def memory_bytes(self) -> int:
        """Bytes held by the sorted arrays (the pending dictionary is small by design)."""
        return sum(a.nbytes for a in self._keys.values()) + sum(a.nbytes for a in self._ids.values())

    def _merge(self) -> None:
        by_band: dict[int, tuple[list[int], list[int]]] = {}
        for (band, key), article_ids in self._pending.items():
            band_keys_, band_ids = by_band.setdefault(band, ([], []))
            band_keys_.extend([key] * len(article_ids))
            band_ids.extend(article_ids)
        for band, (new_keys, new_ids) in by_band.items():
            self._insert_sorted(band, np.array(new_keys, dtype=np.int64), np.array(new_ids, dtype=np.int64))
        self._rows += self._pending_rows
        self._pending.clear()
        self._pending_rows = 0

    def _insert_sorted(self, band: int, new_keys: np.ndarray, new_ids: np.ndarray) -> None:
        keys = np.concatenate([self._keys.get(band, np.empty(0, np.int64)), new_keys])
        ids = np.concatenate([self._ids.get(band, np.empty(0, np.int64)), new_ids])
        order = np.argsort(keys, kind="stable")
        self._keys[band] = keys[order]
        self._ids[band] = ids[order]
