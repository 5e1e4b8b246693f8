"""Scoring entity identity: do the archive keys group surface forms the way people do?

The identity gold (tests/fixtures/identity/gold.tsv) lists surface forms found in a
batch with a group id per real-world entity. Each gold form gets the archive key
(:mod:`pipeline.entities`) its mentions carry in the batch (the most frequent one
when a form was keyed differently in different articles; a form the extractor never
produced with that label stays alone). Pairwise precision is the share of predicted
same-entity pairs that the gold groups together; recall the share of gold pairs the
keys group together.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.entities import EntityTable, record_keys
from pipeline.schema import LABELS, Record


@dataclass(frozen=True, slots=True)
class GoldForm:
    """One surface form of the identity gold with its entity's group id."""

    group: str
    label: str
    form: str


@dataclass
class IdentityScore:
    """Pairwise merge scores of keys against the identity gold."""

    forms: int = 0
    groups: int = 0
    found: int = 0
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    false_merges: list[tuple[GoldForm, GoldForm]] = field(default_factory=list)
    missed_merges: list[tuple[GoldForm, GoldForm]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Correct same-entity pairs / predicted same-entity pairs."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Correct same-entity pairs / gold same-entity pairs."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_identity_gold(path: str | Path) -> list[GoldForm]:
    """Read the gold TSV (``group``, ``label``, ``form``; ``#`` lines are comments)."""
    out: list[GoldForm] = []
    seen: set[tuple[str, str]] = set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    if not rows or rows[0].split("\t") != ["group", "label", "form"]:
        raise ValueError(f"{path}: expected a header line 'group<TAB>label<TAB>form'")
    for number, line in enumerate(rows[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in LABELS or not parts[2]:
            raise ValueError(f"{path}: bad gold line {number}: {line!r}")
        if (parts[1], parts[2]) in seen:
            raise ValueError(f"{path}: form listed twice: {parts[1]} {parts[2]!r}")
        seen.add((parts[1], parts[2]))
        out.append(GoldForm(*parts))
    return out


def predicted_keys(records: Iterable[Record]) -> dict[tuple[str, str], str]:
    """(label, surface form) → the archive key its mentions carry most often."""
    table = EntityTable()
    seen: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for record in records:
        table.add(record)
        keys = record_keys(record)
        for m in record.mentions:
            seen[(m.label, m.text)][keys[m.entity]] += 1
    resolved = {k: row.key for row in table.rows() for k in row.keys}
    out: dict[tuple[str, str], str] = {}
    for form, counts in seen.items():
        archive: Counter[str] = Counter()
        for key, n in counts.items():
            archive[resolved[key]] += n
        out[form] = min(archive, key=lambda k: (-archive[k], k))
    return out


def score_identity(records: Iterable[Record], gold: list[GoldForm]) -> IdentityScore:
    """Pairwise precision and recall of the batch's archive keys on the gold forms."""
    keys = predicted_keys(records)
    score = IdentityScore(forms=len(gold), groups=len({g.group for g in gold}))
    predicted: list[str] = []
    for i, g in enumerate(gold):
        key = keys.get((g.label, g.form))
        if key is not None:
            score.found += 1
        predicted.append(key if key is not None else f"\x00missing:{i}")
    for (a, ka), (b, kb) in itertools.combinations(zip(gold, predicted, strict=True), 2):
        same_gold = a.group == b.group
        same_key = ka == kb
        score.true_pairs += same_gold
        score.predicted_pairs += same_key
        score.correct_pairs += same_gold and same_key
        if same_key and not same_gold:
            score.false_merges.append((a, b))
        elif same_gold and not same_key:
            score.missed_merges.append((a, b))
    return score
