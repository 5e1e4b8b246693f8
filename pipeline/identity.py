"""Scoring entity identity: do the archive keys group surface forms the way people do?

An identity gold lists surface forms found in a batch with a group id per real-world
entity. It is stored as standoff so that no text drawn from the articles enters the
repository: each row names a record (the article id), the SHA-256 of the form (hex,
the first :data:`DIGEST_CHARS` characters), its label and the group id.
:func:`resolve_gold` rebuilds the forms from the mentions of the records being scored
and fails when a row matches no mention there.

Each gold form gets the archive key (:mod:`pipeline.entities`) its mentions carry in
the batch (the most frequent one when a form was keyed differently in different
articles). Pairwise precision is the share of predicted same-entity pairs that the
gold groups together; recall the share of gold pairs the keys group together.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.entities import EntityTable, record_keys
from pipeline.errors import GoldMismatch
from pipeline.schema import LABELS, Record

if TYPE_CHECKING:
    from pipeline.runner import Extractor


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
    true_by_label: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        """Correct same-entity pairs / predicted same-entity pairs."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Correct same-entity pairs / gold same-entity pairs."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def by_label(self) -> dict[str, tuple[int, int, int]]:
        """Per label: (correct pairs, predicted pairs, gold pairs); gold groups hold one label."""
        out: dict[str, tuple[int, int, int]] = {}
        for label in sorted(self.true_by_label):
            true = self.true_by_label[label]
            missed = sum(1 for a, _ in self.missed_merges if a.label == label)
            false = sum(1 for a, _ in self.false_merges if a.label == label)
            out[label] = (true - missed, true - missed + false, true)
        return out

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


#: Hex characters of the SHA-256 kept per gold form (64 bits: no collisions among forms).
DIGEST_CHARS = 16

#: Header of a gold file.
GOLD_COLUMNS = ["doc", "form_sha256", "label", "group"]

_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True, slots=True)
class GoldRef:
    """One standoff gold row: a form of ``label`` in record ``doc``, known by its hash."""

    doc: str
    digest: str
    label: str
    group: str


def form_digest(form: str) -> str:
    """The hash a gold file stores for a surface form (SHA-256 of its UTF-8, truncated)."""
    return hashlib.sha256(form.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def load_identity_gold(path: str | Path) -> list[GoldRef]:
    """Read a standoff gold TSV (``doc``, ``form_sha256``, ``label``, ``group``; ``#`` comments)."""
    out: list[GoldRef] = []
    seen: set[tuple[str, str]] = set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    if not rows or rows[0].split("\t") != GOLD_COLUMNS:
        raise ValueError(f"{path}: expected a header line {'<TAB>'.join(GOLD_COLUMNS)!r}")
    for number, line in enumerate(rows[1:], start=2):
        parts = line.split("\t")
        if (
            len(parts) != 4
            or not parts[0]
            or len(parts[1]) != DIGEST_CHARS
            or not _HEX.fullmatch(parts[1])
            or parts[2] not in LABELS
            or not parts[3]
        ):
            raise ValueError(f"{path}: bad gold line {number}: {line!r}")
        if (parts[2], parts[1]) in seen:
            raise ValueError(f"{path}: form listed twice: {parts[2]} {parts[1]}")
        seen.add((parts[2], parts[1]))
        out.append(GoldRef(doc=parts[0], digest=parts[1], label=parts[2], group=parts[3]))
    return out


def resolve_gold(
    refs: Sequence[GoldRef], records: Iterable[Record], *, allow_missing: bool = False
) -> list[GoldForm]:
    """Rebuild the gold's surface forms from the mentions of the records being scored.

    A row's hash is looked up among the mentions of its label in its own record, then in
    the whole batch (a parser or model change may drop a mention there but not
    elsewhere). A row found nowhere raises :class:`GoldMismatch` naming the rows (the
    records come from another corpus or a model that no longer finds the form); with
    ``allow_missing`` it is kept as a form no record has, which scores as never merged.
    """
    by_doc: dict[str, dict[tuple[str, str], str]] = {}
    anywhere: dict[tuple[str, str], str] = {}
    for record in records:
        index = by_doc.setdefault(record.id, {})
        for m in record.mentions:
            digest = (m.label, form_digest(m.text))
            index.setdefault(digest, m.text)
            anywhere.setdefault(digest, m.text)
    out: list[GoldForm] = []
    problems: list[str] = []
    for ref in refs:
        key = (ref.label, ref.digest)
        form = by_doc.get(ref.doc, {}).get(key) or anywhere.get(key)
        if form is None:
            why = (
                "matches no mention of its record or of any other record"
                if ref.doc in by_doc
                else "has its record missing from the batch and matches no mention elsewhere"
            )
            problems.append(
                f"{ref.label} {ref.digest} (record {ref.doc!r}, group {ref.group!r}) {why}"
            )
            if allow_missing:
                out.append(GoldForm(group=ref.group, label=ref.label, form=f"\x00{ref.digest}"))
            continue
        out.append(GoldForm(group=ref.group, label=ref.label, form=form))
    if problems and not allow_missing:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise GoldMismatch(
            f"{len(problems)} of {len(refs)} gold rows are not found in the records: {shown}{more}"
        )
    return out


def standoff_rows(gold: Sequence[GoldForm], records: Iterable[Record]) -> list[GoldRef]:
    """Standoff rows for plain-text gold forms: each in the first record (by id) that has it.

    Raises :class:`GoldMismatch` for a form no record mentions with its label.
    """
    first: dict[tuple[str, str], str] = {}
    for record in sorted(records, key=lambda r: r.id):
        for m in record.mentions:
            first.setdefault((m.label, m.text), record.id)
    missing = [f"{g.label} {g.group!r}" for g in gold if (g.label, g.form) not in first]
    if missing:
        raise GoldMismatch(f"{len(missing)} gold forms are in no record: {', '.join(missing[:10])}")
    return [
        GoldRef(
            doc=first[(g.label, g.form)], digest=form_digest(g.form), label=g.label, group=g.group
        )
        for g in gold
    ]


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


def score_identity(records: Iterable[Record], gold: Sequence[GoldForm]) -> IdentityScore:
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
        if same_gold:
            score.true_by_label[a.label] += 1
        score.predicted_pairs += same_key
        score.correct_pairs += same_gold and same_key
        if same_key and not same_gold:
            score.false_merges.append((a, b))
        elif same_gold and not same_key:
            score.missed_merges.append((a, b))
    return score


def score_standoff(
    records: Iterable[Record], refs: Sequence[GoldRef], *, allow_missing: bool = False
) -> IdentityScore:
    """Resolve a standoff gold against the records, then score the records' keys on it.

    With ``allow_missing``, rows no record matches count as forms never merged
    (``found`` < ``forms``) instead of raising :class:`GoldMismatch`.
    """
    batch = list(records)
    return score_identity(batch, resolve_gold(refs, batch, allow_missing=allow_missing))


def corpus_records(corpus: str | Path, ids: Iterable[str], extractor: Extractor) -> list[Record]:
    """Records of the given articles of a news corpus (``news-*.jsonl.gz``, one item a line).

    Each item's ``text`` is its title line, then the body; the record gets the item's id,
    publication time and URL (which sets the outlet's time zone). Sorted by id. Raises
    :class:`GoldMismatch` when an id is not in the corpus.
    """
    wanted = set(ids)
    items: dict[str, dict[str, str]] = {}
    for path in sorted(Path(corpus).glob("news-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                if item["id"] in wanted:
                    items[item["id"]] = item
    missing = sorted(wanted - set(items))
    if missing:
        raise GoldMismatch(f"{len(missing)} articles are not in {corpus}: {', '.join(missing[:5])}")
    records = []
    for id_ in sorted(items):
        item = items[id_]
        title, _, body = item["text"].partition("\n")
        records.append(
            extractor.extract(
                body, title=title, id=id_, published=item["published"], url=item.get("url")
            )
        )
    return records
