"""Gold data, scoring and the regression gate.

Scoring follows ANNOTATION.md "Scoring": a predicted mention is correct when its
label and exact text match a gold mention of the same document, each gold mention
matched once. Offsets play no part, so scoring is a multiset match on
``(label, text)`` per document. DATE value accuracy is the share of matched DATE
mentions whose ``value`` equals the gold value.

The scorer takes plain ``(label, text, value)`` data; it does not depend on the
pipeline. :func:`predict` is the one place that runs the pipeline on gold texts.

Gold format (JSONL, one document a line)::

    {"id": "...", "text": "..." | "source": "articles/x.txt", "published": "...Z",
     "mentions": [{"start": 0, "end": 2, "label": "LOC", "text": "美国"}, ...]}

``source`` is a raw feed-item file, resolved relative to the gold file; when
``text`` is absent it is parsed from ``source``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import GoldFormatError
from pipeline.schema import LABELS
from pipeline.stages.dates.values import value_problem

__all__ = [
    "LABELS",
    "GoldDoc",
    "GoldFormatError",
    "GoldMention",
    "GoldProblem",
    "IdOverlap",
    "Scores",
    "check_consistency",
    "check_gold",
    "compare_to_baseline",
    "evaluate",
    "gold_line",
    "gold_schema",
    "id_overlap",
    "load_gold",
    "predict",
    "read_bio",
    "read_cluener",
    "read_predictions",
    "record_to_gold",
    "score",
]

if TYPE_CHECKING:
    from pipeline.runner import Extractor
    from pipeline.schema import Article, Record

GoldLabel = Literal["PERSON", "ORG", "LOC", "DATE"]

#: A mention reduced to what scoring looks at.
Triple = tuple[str, str, str | None]
#: Documents reduced to what scoring looks at: id → mentions.
PlainDocs = Mapping[str, Sequence[Triple]]

# --------------------------------------------------------------------------- label maps

#: BIO tag types (MSRA, People's Daily, OntoNotes style) → the guide's labels.
BIO_LABEL_MAP: dict[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "NR": "PERSON",
    "ORG": "ORG",
    "NT": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "NS": "LOC",
    "TIME": "DATE",
    "DATE": "DATE",
    "T": "DATE",
}

#: CLUENER fine-grained labels → the guide's labels; the others are dropped.
CLUENER_LABEL_MAP: dict[str, str] = {
    "name": "PERSON",
    "organization": "ORG",
    "government": "ORG",
    "goverment": "ORG",  # the spelling of the original CLUENER README
    "company": "ORG",
    "address": "LOC",
    "scene": "LOC",
}

# --------------------------------------------------------------------------- DATE values


def date_value_problem(value: str) -> str | None:
    """Why ``value`` is not a well-formed DATE value per the guide, or None if it is.

    The grammar is :mod:`pipeline.stages.dates.values`, the one the date rules write.
    """
    return value_problem(value)


# --------------------------------------------------------------------------- gold models


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldMention(_Strict):
    """One annotated mention: offsets in code points into the document text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: GoldLabel
    text: str = Field(min_length=1)
    value: str | None = Field(default=None, description="Normalized value (DATE only).")

    @model_validator(mode="after")
    def _check(self) -> GoldMention:
        if self.end <= self.start:
            raise ValueError(f"mention {self.text!r}: end {self.end} <= start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"mention {self.text!r}: {self.start}:{self.end} is not its length")
        return self


class GoldDoc(_Strict):
    """One gold document: ``text`` or a raw-file ``source``, and its mentions."""

    id: str
    text: str | None = None
    source: str | None = Field(
        default=None, description="Raw feed-item file, relative to the gold file."
    )
    published: dt.datetime | None = Field(
        default=None, description="Publication instant; relative dates resolve against it."
    )
    timezone: str | None = Field(
        default=None,
        description="IANA zone of the newsroom (default: from the source's URL, else Asia/Shanghai).",
    )
    mentions: list[GoldMention] = Field(default_factory=list)

    @model_validator(mode="after")
    def _need_text(self) -> GoldDoc:
        if self.text is None and self.source is None:
            raise ValueError("a document needs 'text' or 'source'")
        return self

    def triples(self) -> list[Triple]:
        """The mentions as scoring sees them."""
        return [(m.label, m.text, m.value) for m in self.mentions]


class GoldProblem(_Strict):
    """A problem found in a gold file, with its 1-based line number (0: the file)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# --------------------------------------------------------------------------- reading gold


def _resolve_source(source: str, base: Path) -> Path:
    path = Path(source)
    return path if path.is_absolute() else base / path


def _text_from_source(path: Path) -> tuple[str, dt.datetime | None]:
    from pipeline.stages.parse import parse_file

    art = parse_file(path)
    return art.text, art.published


def _iter_jsonl(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield n, line


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold JSONL file; documents given by ``source`` get their text parsed.

    ``source`` is rewritten to the resolved path so that later steps can find it.
    Raises :class:`GoldFormatError` naming the line of the first invalid document.
    """
    path = Path(path)
    docs: list[GoldDoc] = []
    for n, line in _iter_jsonl(path):
        try:
            doc = GoldDoc.model_validate_json(line)
        except ValidationError as e:
            hint = RECORDS_HINT if _looks_like_record(line) else ""
            raise GoldFormatError(f"{path}:{n}: {_first_error(e)}{hint}") from e
        if doc.source is not None:
            resolved = _resolve_source(doc.source, path.parent)
            doc.source = str(resolved)
            if doc.text is None:
                try:
                    doc.text, published = _text_from_source(resolved)
                except Exception as e:  # the parser's coded errors, OSError
                    raise GoldFormatError(f"{path}:{n}: cannot read source: {e}") from e
                if doc.published is None:
                    doc.published = published
        docs.append(doc)
    return docs


#: Added to the error when a records file (``pipeline run`` output) is read as gold.
RECORDS_HINT = (
    " (this line is a record written by `pipeline run`, not gold: convert records with "
    "`pipeline gold RECORDS --out GOLD`, see docs/gold.md)"
)


def _looks_like_record(line: str) -> bool:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(raw, dict) and "schema_version" in raw and "pipeline" in raw


def gold_schema() -> dict[str, Any]:
    """The JSON Schema of one line of a gold file (``pipeline schema --gold``)."""
    return GoldDoc.model_json_schema()


def record_to_gold(record: Record) -> GoldDoc:
    """A gold document holding a record's text, time, zone and mentions.

    The starting point for annotating by correction: fix the mentions by hand, then
    check the file with ``pipeline eval GOLD --check``.
    """
    return GoldDoc(
        id=record.id,
        text=record.text,
        published=record.published,
        timezone=record.timezone,
        mentions=[
            GoldMention(start=m.start, end=m.end, label=m.label, text=m.text, value=m.value)
            for m in record.mentions
        ],
    )


def gold_line(doc: GoldDoc) -> str:
    """One JSONL line of a gold file (``source``/``timezone`` only when set)."""
    return doc.model_dump_json(exclude_none=True) + "\n"


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def check_gold(path: str | Path) -> list[GoldProblem]:
    """Validate a gold file and report every problem with its line number.

    Checks: JSON and schema, unique ids, text available, offsets inside the text and
    matching the mention text, mentions sorted and not overlapping, known labels,
    DATE values present and well formed (and values on DATE only).
    """
    path = Path(path)
    problems: list[GoldProblem] = []
    if not path.exists():
        return [GoldProblem(line=0, message=f"no such file: {path}")]
    seen: dict[str, int] = {}
    for n, line in _iter_jsonl(path):

        def add(message: str, n: int = n) -> None:
            problems.append(GoldProblem(line=n, message=message))

        try:
            raw = json.loads(line)
        except json.JSONDecodeError as e:
            add(f"invalid JSON: {e.msg} at column {e.colno}")
            continue
        if not isinstance(raw, dict):
            add("a line must hold a JSON object")
            continue
        if _looks_like_record(line):
            add("not a gold document" + RECORDS_HINT)
            continue
        doc_id = raw.get("id")
        if isinstance(doc_id, str):
            if doc_id in seen:
                add(f"duplicate id {doc_id!r} (first on line {seen[doc_id]})")
            else:
                seen[doc_id] = n
        mentions = raw.get("mentions", [])
        for i, m in enumerate(mentions if isinstance(mentions, list) else []):
            if isinstance(m, dict) and m.get("label") not in LABELS:
                add(f"mention {i}: unknown label {m.get('label')!r}")
        try:
            doc = GoldDoc.model_validate(raw)
        except ValidationError as e:
            for err in e.errors():
                loc = [str(p) for p in err["loc"]]
                if len(loc) >= 3 and loc[0] == "mentions" and loc[2] == "label":
                    continue  # reported above, in plainer words
                where = ".".join(loc)
                add(f"{where}: {err['msg']}" if where else str(err["msg"]))
            continue
        text = doc.text
        if text is None and doc.source is not None:
            source = _resolve_source(doc.source, path.parent)
            try:
                text, _ = _text_from_source(source)
            except Exception as e:
                add(f"cannot read source {doc.source}: {e}")
                continue
        elif doc.source is not None and not _resolve_source(doc.source, path.parent).exists():
            add(f"source {doc.source} does not exist")
        assert text is not None
        problems.extend(GoldProblem(line=n, message=msg) for msg in mention_problems(doc, text))
    return problems


def mention_problems(doc: GoldDoc, text: str) -> Iterator[str]:
    """Problems of one document's mentions: offsets, sorting, overlaps, DATE values."""
    prev: GoldMention | None = None
    for i, m in enumerate(doc.mentions):
        tag = f"mention {i} ({m.label} {m.text!r} {m.start}:{m.end})"
        if m.end > len(text):
            yield f"{tag}: ends after the text ({len(text)} characters)"
        elif text[m.start : m.end] != m.text:
            yield f"{tag}: the text there is {text[m.start : m.end]!r}"
        elif m.text != m.text.strip():
            yield f"{tag}: spaces around the mention"
        if prev is not None:
            if (m.start, m.end) < (prev.start, prev.end):
                yield f"{tag}: not sorted (comes after {prev.text!r} at {prev.start})"
            elif m.start < prev.end:
                yield f"{tag}: overlaps {prev.text!r} at {prev.start}:{prev.end}"
        if m.label == "DATE":
            if m.value is None:
                yield f"{tag}: a DATE needs a value"
            else:
                problem = date_value_problem(m.value)
                if problem:
                    yield f"{tag}: bad value {problem}"
        elif m.value is not None:
            yield f"{tag}: only DATE mentions carry a value"
        prev = m


# --------------------------------------------------------------------------- other formats


def _doc_from_chars(
    doc_id: str, chars: list[str], tags: list[str], label_map: Mapping[str, str]
) -> GoldDoc:
    text = "".join(chars)
    mentions: list[GoldMention] = []
    start: int | None = None
    kind: str | None = None

    def close(end: int) -> None:
        nonlocal start, kind
        if start is not None and kind is not None:
            label = label_map.get(kind, label_map.get(kind.upper()))
            if label is not None:
                mentions.append(
                    GoldMention(
                        start=start, end=end, label=cast(GoldLabel, label), text=text[start:end]
                    )
                )
        start, kind = None, None

    for i, tag in enumerate(tags):
        prefix, _, t = tag.partition("-")
        prefix = prefix.upper()
        if tag == "O" or prefix == "O" or not t:
            close(i)
        elif prefix in {"B", "S", "U"} or (prefix in {"I", "M", "E", "L"} and t != kind):
            close(i)
            start, kind = i, t
        if prefix in {"S", "U", "E", "L"}:
            close(i + 1)
    close(len(tags))
    # Mentions made only of spaces, or with outer spaces, are trimmed like the guide says.
    cleaned: list[GoldMention] = []
    for m in mentions:
        s, e = m.start, m.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            cleaned.append(GoldMention(start=s, end=e, label=m.label, text=text[s:e]))
    return GoldDoc(id=doc_id, text=text, mentions=cleaned)


def read_bio(
    path: str | Path, *, label_map: Mapping[str, str] | None = None, id_prefix: str | None = None
) -> list[GoldDoc]:
    """Read a character-per-line BIO/BIOES file (MSRA, People's Daily style).

    Each line is ``char<TAB or space>tag``; a blank line ends a sentence, and each
    sentence becomes one document ``<prefix>:<n>`` (n from 1). Tag types are mapped
    with ``label_map`` (default :data:`BIO_LABEL_MAP`: PER→PERSON, TIME→DATE, ...);
    types missing from the map are dropped. ``I-X`` after ``O`` starts a mention
    (conlleval's lenient reading).
    """
    path = Path(path)
    mapping = dict(BIO_LABEL_MAP if label_map is None else label_map)
    prefix = id_prefix if id_prefix is not None else path.stem
    docs: list[GoldDoc] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            docs.append(_doc_from_chars(f"{prefix}:{len(docs) + 1}", chars, tags, mapping))
        chars.clear()
        tags.clear()

    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip(" \t"):
                flush()
                continue
            if "\t" in line:
                char, _, tag = line.rpartition("\t")
            else:
                char, _, tag = line.rpartition(" ")
            tag = tag.strip()
            if not char or not tag:
                raise GoldFormatError(f"{path}:{n}: expected 'char<TAB>tag', got {line!r}")
            if len(char) != 1:
                # A token column wider than one character (a word file): keep it whole.
                char = char.strip() or char
            chars.append(char)
            tags.append(tag)
    flush()
    return docs


def read_cluener(
    path: str | Path, label_map: Mapping[str, str] | None = None, *, id_prefix: str | None = None
) -> list[GoldDoc]:
    """Read CLUENER JSON lines ``{"text", "label": {label: {surface: [[s, e], ...]}}}``.

    Offsets in CLUENER are inclusive; labels are mapped with ``label_map`` (default
    :data:`CLUENER_LABEL_MAP`) and unmapped ones (position, book, game, movie) dropped.
    """
    path = Path(path)
    mapping = dict(CLUENER_LABEL_MAP if label_map is None else label_map)
    prefix = id_prefix if id_prefix is not None else path.stem
    docs: list[GoldDoc] = []
    for n, line in _iter_jsonl(path):
        try:
            raw = json.loads(line)
            text = raw["text"]
            labels = raw.get("label") or {}
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise GoldFormatError(f"{path}:{n}: not a CLUENER line: {e}") from e
        mentions: list[GoldMention] = []
        for kind, surfaces in labels.items():
            label = mapping.get(kind)
            if label is None:
                continue
            for surface, spans in surfaces.items():
                for start, end_incl in spans:
                    if text[start : end_incl + 1] != surface:
                        raise GoldFormatError(
                            f"{path}:{n}: {surface!r} is not at [{start}, {end_incl}]"
                        )
                    mentions.append(
                        GoldMention(
                            start=start,
                            end=end_incl + 1,
                            label=cast(GoldLabel, label),
                            text=surface,
                        )
                    )
        mentions.sort(key=lambda m: (m.start, m.end))
        doc_id = str(raw.get("id", f"{prefix}:{len(docs) + 1}"))
        docs.append(GoldDoc(id=doc_id, text=text, mentions=mentions))
    return docs


def read_predictions(path: str | Path) -> dict[str, list[Triple]]:
    """Read predictions: JSONL records (the pipeline's output) or gold-format lines.

    Only ``id`` and each mention's ``label``, ``text`` and ``value`` are used.
    """
    path = Path(path)
    out: dict[str, list[Triple]] = {}
    for n, line in _iter_jsonl(path):
        try:
            raw = json.loads(line)
            doc_id = str(raw["id"])
            triples = [(m["label"], m["text"], m.get("value")) for m in raw.get("mentions", [])]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise GoldFormatError(f"{path}:{n}: not a prediction record: {e}") from e
        out.setdefault(doc_id, []).extend(triples)
    return out


def read_docs(
    path: str | Path, fmt: str = "gold", label_map: Mapping[str, str] | None = None
) -> list[GoldDoc]:
    """Read documents in one of the formats: ``gold``, ``bio`` or ``cluener``."""
    if fmt == "gold":
        return load_gold(path)
    if fmt == "bio":
        return read_bio(path, label_map=label_map)
    if fmt == "cluener":
        return read_cluener(path, label_map)
    raise ValueError(f"unknown format {fmt!r} (use gold, bio or cluener)")


def parse_label_map(spec: str | None) -> dict[str, str] | None:
    """Parse ``"PER=PERSON,TIME=DATE"`` (``:`` works as well as ``=``)."""
    if not spec:
        return None
    mapping: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        key, sep, val = item.replace(":", "=").partition("=")
        if not sep or not key.strip() or val.strip() not in LABELS:
            raise ValueError(f"bad label map item {item!r}: use SOURCE=PERSON|ORG|LOC|DATE")
        mapping[key.strip()] = val.strip()
    return mapping


# --------------------------------------------------------------------------- consistency


def check_consistency(docs: Iterable[GoldDoc], *, min_length: int = 2) -> list[str]:
    """Flag annotation inconsistencies across documents.

    - a string annotated with different labels in different places;
    - a string annotated somewhere but left unannotated elsewhere (an occurrence
      that no mention covers). Strings shorter than ``min_length`` are only checked
      for labels: single characters such as 美 occur in 美元 and 华人.
    """
    docs = list(docs)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in docs:
        for m in doc.mentions:
            labels[m.text][m.label] += 1
            where[(m.text, m.label)].append(doc.id)
    findings: list[str] = []
    for surface, counts in sorted(labels.items()):
        if len(counts) > 1:
            parts = ", ".join(
                f"{label} ×{n} ({', '.join(sorted(set(where[(surface, label)]))[:3])})"
                for label, n in counts.most_common()
            )
            findings.append(f"{surface!r} has different labels: {parts}")
    for doc in docs:
        text = doc.text or ""
        covered = [(m.start, m.end) for m in doc.mentions]
        for surface, counts in labels.items():
            if len(surface) < min_length:
                continue
            at = text.find(surface)
            while at >= 0:
                end = at + len(surface)
                if not any(s <= at and end <= e for s, e in covered) and not any(
                    s < end and at < e for s, e in covered
                ):
                    label = counts.most_common(1)[0][0]
                    context = text[max(0, at - 8) : end + 8].replace("\n", " ")
                    findings.append(
                        f"{doc.id}: {surface!r} at {at} is not annotated "
                        f"(elsewhere {label}): …{context}…"
                    )
                at = text.find(surface, at + 1)
    return findings


# --------------------------------------------------------------------------- scoring


class LabelScore(_Strict):
    """Precision, recall and F1 with their counts."""

    p: float
    r: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> LabelScore:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p=p, r=r, f1=f1, tp=tp, fp=fp, fn=fn)


class ErrorCount(_Strict):
    """A missed or falsely predicted ``(label, text)`` and how often it happened."""

    label: str
    text: str
    count: int


class DateValueError(_Strict):
    """A matched DATE whose value differs from the gold value."""

    doc: str
    text: str
    gold: str
    pred: str | None


class Scores(_Strict):
    """The result of :func:`score`; ``to_json`` gives the documented JSON."""

    labels: dict[str, LabelScore]
    ALL: LabelScore
    date_value_accuracy: float | None = None
    date_values_checked: int = 0
    date_values_correct: int = 0
    docs: int = 0
    unscored_docs: list[str] = Field(
        default_factory=list, description="Prediction ids that are not in the gold data."
    )
    misses: list[ErrorCount] = Field(default_factory=list)
    false_alarms: list[ErrorCount] = Field(default_factory=list)
    date_value_errors: list[DateValueError] = Field(default_factory=list)

    def to_dict(self, *, errors: int | None = None, digits: int = 4) -> dict[str, Any]:
        """Plain data, floats rounded, error lists cut to ``errors`` entries."""

        def label_dict(s: LabelScore) -> dict[str, Any]:
            return {
                "p": round(s.p, digits),
                "r": round(s.r, digits),
                "f1": round(s.f1, digits),
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }

        cut = slice(None) if errors is None else slice(0, max(errors, 0))
        acc = self.date_value_accuracy
        return {
            "labels": {k: label_dict(v) for k, v in self.labels.items()},
            "ALL": label_dict(self.ALL),
            "date_value_accuracy": None if acc is None else round(acc, digits),
            "date_values_checked": self.date_values_checked,
            "date_values_correct": self.date_values_correct,
            "docs": self.docs,
            "unscored_docs": self.unscored_docs,
            "misses": [e.model_dump() for e in self.misses[cut]],
            "false_alarms": [e.model_dump() for e in self.false_alarms[cut]],
            "date_value_errors": [e.model_dump() for e in self.date_value_errors[cut]],
        }

    def to_json(self, *, errors: int | None = None, indent: int | None = 2) -> str:
        """JSON text: ``{"labels": {...}, "ALL": {"p", "r", "f1", ...}, ...}``."""
        return json.dumps(self.to_dict(errors=errors), ensure_ascii=False, indent=indent)


class _HasMention(Protocol):
    label: str
    text: str
    value: str | None


class _HasMentions(Protocol):
    id: str
    mentions: Sequence[Any]


def to_plain(docs: PlainDocs | Iterable[Any]) -> dict[str, list[Triple]]:
    """Reduce documents to ``{id: [(label, text, value), ...]}``.

    Accepts such a mapping already, or objects with ``.id`` and ``.mentions`` (gold
    documents, pipeline records) whose mentions have ``.label .text .value``.
    """
    if isinstance(docs, Mapping):
        return {
            str(k): [(t[0], t[1], t[2] if len(t) > 2 else None) for t in v] for k, v in docs.items()
        }
    out: dict[str, list[Triple]] = {}
    for doc in cast(Iterable[Any], docs):
        out.setdefault(str(doc.id), []).extend(
            (str(m.label), str(m.text), getattr(m, "value", None)) for m in doc.mentions
        )
    return out


def score(
    gold_docs: PlainDocs | Iterable[Any],
    pred_docs: PlainDocs | Iterable[Any],
    labels: Iterable[str] | None = None,
) -> Scores:
    """Score predictions against gold per ANNOTATION.md "Scoring".

    Per document and label, predicted texts are matched to gold texts as multisets
    (each gold mention matched once). A gold document without predictions counts
    all its mentions as misses; predictions for unknown documents are not scored
    and listed in ``unscored_docs``. ``labels`` restricts scoring to those labels.
    """
    gold = to_plain(gold_docs)
    pred = to_plain(pred_docs)
    wanted = tuple(labels) if labels is not None else LABELS
    unknown = [lb for lb in wanted if lb not in LABELS]
    if unknown:
        raise ValueError(f"unknown labels {unknown}: use {', '.join(LABELS)}")
    counts = {lb: [0, 0, 0] for lb in wanted}
    misses: Counter[tuple[str, str]] = Counter()
    false_alarms: Counter[tuple[str, str]] = Counter()
    checked = correct = 0
    value_errors: list[DateValueError] = []
    for doc_id, g_mentions in gold.items():
        p_mentions = pred.get(doc_id, [])
        for lb in wanted:
            g = Counter(t for label, t, _ in g_mentions if label == lb)
            p = Counter(t for label, t, _ in p_mentions if label == lb)
            tp = g & p
            counts[lb][0] += sum(tp.values())
            fp = p - g
            fn = g - p
            counts[lb][1] += sum(fp.values())
            counts[lb][2] += sum(fn.values())
            misses.update({(lb, t): n for t, n in fn.items()})
            false_alarms.update({(lb, t): n for t, n in fp.items()})
            if lb == "DATE":
                c, k, errs = _date_values(doc_id, g_mentions, p_mentions, tp)
                correct += c
                checked += k
                value_errors.extend(errs)
    per_label = {lb: LabelScore.from_counts(*counts[lb]) for lb in wanted}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return Scores(
        labels=per_label,
        ALL=LabelScore.from_counts(*total),
        date_value_accuracy=correct / checked if checked else None,
        date_values_checked=checked,
        date_values_correct=correct,
        docs=len(gold),
        unscored_docs=sorted(set(pred) - set(gold)),
        misses=[ErrorCount(label=lb, text=t, count=n) for (lb, t), n in _ranked(misses)],
        false_alarms=[
            ErrorCount(label=lb, text=t, count=n) for (lb, t), n in _ranked(false_alarms)
        ],
        date_value_errors=value_errors,
    )


def _ranked(counter: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _date_values(
    doc_id: str, gold: Sequence[Triple], pred: Sequence[Triple], matched: Counter[str]
) -> tuple[int, int, list[DateValueError]]:
    """Correct and checked values over the matched DATE mentions of one document.

    For a text matched k times, the k pairs are formed to agree as often as possible:
    the correct count is the multiset overlap of the gold and predicted values,
    counting only gold mentions that carry a value.
    """
    correct = checked = 0
    errors: list[DateValueError] = []
    for text, k in matched.items():
        g_vals = [v for lb, t, v in gold if lb == "DATE" and t == text and v is not None]
        p_vals = [v for lb, t, v in pred if lb == "DATE" and t == text]
        n = min(k, len(g_vals))
        if n == 0:
            continue
        overlap = Counter(g_vals) & Counter(v for v in p_vals if v is not None)
        good = min(n, sum(overlap.values()))
        correct += good
        checked += n
        wrong_gold = list((Counter(g_vals) - overlap).elements())
        wrong_pred = list((Counter(p_vals) - Counter(overlap)).elements())
        for i in range(n - good):
            errors.append(
                DateValueError(
                    doc=doc_id,
                    text=text,
                    gold=wrong_gold[i] if i < len(wrong_gold) else "",
                    pred=wrong_pred[i] if i < len(wrong_pred) else None,
                )
            )
    return correct, checked, errors


# --------------------------------------------------------------------------- id overlap


class IdOverlap(_Strict):
    """How the document ids of gold data and of predictions match."""

    gold: int
    predicted: int
    shared: int
    gold_only: list[str] = Field(description="Gold ids without predictions (scored as misses).")
    predicted_only: list[str] = Field(description="Predicted ids not in the gold (not scored).")

    def problems(self) -> list[str]:
        """Plain-words warnings: ids on one side only, with counts and examples."""
        out: list[str] = []
        for ids, total, what in (
            (
                self.gold_only,
                self.gold,
                "gold documents have no prediction (their mentions count as misses)",
            ),
            (
                self.predicted_only,
                self.predicted,
                "predicted documents are not in the gold data (not scored)",
            ),
        ):
            if ids:
                shown = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
                out.append(f"{len(ids)} of {total} {what}: {shown}")
        return out


def id_overlap(
    gold_docs: PlainDocs | Iterable[Any], pred_docs: PlainDocs | Iterable[Any]
) -> IdOverlap:
    """Compare the ids of gold and predictions (before scoring: no shared id, no score)."""
    gold, pred = set(to_plain(gold_docs)), set(to_plain(pred_docs))
    return IdOverlap(
        gold=len(gold),
        predicted=len(pred),
        shared=len(gold & pred),
        gold_only=sorted(gold - pred),
        predicted_only=sorted(pred - gold),
    )


# --------------------------------------------------------------------------- the gate


def compare_to_baseline(
    scores: Scores | Mapping[str, Any],
    baseline: Scores | Mapping[str, Any],
    tolerance: float = 0.01,
) -> list[str]:
    """Regressions of ``scores`` against ``baseline`` (empty when there are none).

    A regression is an overall or per-label F1 more than ``tolerance`` below the
    baseline, a label of the baseline missing from the scores, or a lower DATE value
    accuracy (compared at the 4 digits the JSON keeps).
    """
    now = scores.to_dict() if isinstance(scores, Scores) else dict(scores)
    base = baseline.to_dict() if isinstance(baseline, Scores) else dict(baseline)
    problems: list[str] = []

    def check(name: str, cur: Mapping[str, Any] | None, ref: Mapping[str, Any]) -> None:
        if cur is None:
            problems.append(f"{name}: missing from the scores (baseline F1 {ref['f1']:.4f})")
            return
        if cur["f1"] < ref["f1"] - tolerance - 1e-9:
            problems.append(
                f"{name}: F1 {cur['f1']:.4f} is {ref['f1'] - cur['f1']:.4f} below the baseline "
                f"{ref['f1']:.4f} (tolerance {tolerance}); "
                f"tp {cur.get('tp')} fp {cur.get('fp')} fn {cur.get('fn')} "
                f"(baseline tp {ref.get('tp')} fp {ref.get('fp')} fn {ref.get('fn')})"
            )

    check("ALL", now.get("ALL"), base["ALL"])
    for label, ref in base.get("labels", {}).items():
        check(label, now.get("labels", {}).get(label), ref)
    ref_acc = base.get("date_value_accuracy")
    cur_acc = now.get("date_value_accuracy")
    if ref_acc is not None:
        if cur_acc is None:
            problems.append(f"DATE value accuracy: not measured (baseline {ref_acc:.4f})")
        elif round(cur_acc, 4) < round(ref_acc, 4):
            problems.append(
                f"DATE value accuracy: {cur_acc:.4f} dropped below the baseline {ref_acc:.4f}"
            )
    return problems


# --------------------------------------------------------------------------- predictions


def gold_articles(docs: Iterable[GoldDoc]) -> list[Article]:
    """Articles for the pipeline holding exactly the gold texts.

    A document with a raw ``source`` takes its URL and newsroom timezone from the
    parsed file; its text stays the gold text so that predictions refer to it.
    """
    from pipeline.schema import Article

    articles: list[Article] = []
    for doc in docs:
        text = doc.text or ""
        url: str | None = None
        timezone: str | None = None
        published = doc.published
        if doc.source and Path(doc.source).exists():
            from pipeline.stages.parse import parse_file

            parsed = parse_file(doc.source)
            url, timezone = parsed.url, parsed.timezone
            published = published or parsed.published
        fields: dict[str, Any] = {
            "id": doc.id,
            "source": doc.source,
            "title": text.split("\n", 1)[0] if doc.source else "",
            "url": url,
            "published": published,
            "text": text,
        }
        timezone = doc.timezone or timezone
        if timezone:
            fields["timezone"] = timezone
        articles.append(Article(**fields))
    return articles


def predict(
    docs: Iterable[GoldDoc], *, model: str | None = None, nlp: Extractor | None = None
) -> dict[str, list[Triple]]:
    """Run the pipeline (``pipeline.load(model)`` unless ``nlp`` is given) on gold texts."""
    if nlp is None:
        from pipeline import load

        nlp = load(model)
    out: dict[str, list[Triple]] = {}
    for record in nlp.pipe(gold_articles(docs)):
        out[record.id] = [(m.label, m.text, m.value) for m in record.mentions]
    return out


def evaluate(
    gold: Sequence[GoldDoc],
    *,
    pred: PlainDocs | None = None,
    model: str | None = None,
    labels: Iterable[str] | None = None,
) -> Scores:
    """Score ``pred`` (or the pipeline's predictions with ``model``) against ``gold``."""
    predictions = pred if pred is not None else predict(gold, model=model)
    return score(gold, predictions, labels)
