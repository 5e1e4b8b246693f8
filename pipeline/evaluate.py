"""Gold validation, predictions on gold texts and ``evaluate``: what ``pipeline eval`` calls.

Formats, label maps, scoring and the gate live in :mod:`pipeline.evaluation` (its
docstring lists the modules); this module validates gold files (``check_gold``, DATE
values, consistency), runs the pipeline on gold texts (:func:`predict`, the one place
that does) and re-exports the public names of :mod:`pipeline.evaluation`, so that
``from pipeline.evaluate import score, load_gold, ...`` keeps working.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from pipeline.evaluation.formats import read_bio, read_cluener
from pipeline.evaluation.gate import compare_to_baseline
from pipeline.evaluation.gold import (
    RECORDS_HINT,
    GoldDoc,
    GoldFormatError,
    GoldLabel,
    GoldMention,
    GoldProblem,
    PlainDocs,
    Triple,
    gold_line,
    gold_schema,
    iter_jsonl,
    load_gold,
    looks_like_record,
    read_predictions,
    record_to_gold,
    resolve_source,
    text_from_source,
)
from pipeline.evaluation.labels import BIO_LABEL_MAP, CLUENER_LABEL_MAP, parse_label_map
from pipeline.evaluation.scoring import (
    DateValueError,
    ErrorCount,
    IdOverlap,
    LabelScore,
    Scores,
    id_overlap,
    score,
    to_plain,
)
from pipeline.schema import LABELS
from pipeline.stages.dates.values import value_problem

__all__ = [
    "BIO_LABEL_MAP",
    "CLUENER_LABEL_MAP",
    "LABELS",
    "RECORDS_HINT",
    "DateValueError",
    "ErrorCount",
    "GoldDoc",
    "GoldFormatError",
    "GoldLabel",
    "GoldMention",
    "GoldProblem",
    "IdOverlap",
    "LabelScore",
    "PlainDocs",
    "Scores",
    "Triple",
    "check_consistency",
    "check_gold",
    "compare_to_baseline",
    "date_value_problem",
    "evaluate",
    "gold_articles",
    "gold_line",
    "gold_schema",
    "id_overlap",
    "load_gold",
    "mention_problems",
    "parse_label_map",
    "predict",
    "read_bio",
    "read_cluener",
    "read_predictions",
    "record_to_gold",
    "score",
    "to_plain",
]

if TYPE_CHECKING:
    from pipeline.runner import Extractor
    from pipeline.schema import Article

# --------------------------------------------------------------------------- DATE values


def date_value_problem(value: str) -> str | None:
    """Why ``value`` is not a well-formed DATE value per the guide, or None if it is.

    The grammar is :mod:`pipeline.stages.dates.values`, the one the date rules write.
    """
    return value_problem(value)


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
    for n, line in iter_jsonl(path):

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
        if looks_like_record(line):
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
            source = resolve_source(doc.source, path.parent)
            try:
                text, _ = text_from_source(source)
            except Exception as e:
                add(f"cannot read source {doc.source}: {e}")
                continue
        elif doc.source is not None and not resolve_source(doc.source, path.parent).exists():
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


# --------------------------------------------------------------------------- consistency


def label_census(docs: Sequence[GoldDoc]) -> tuple[dict[str, Counter[str]], list[str]]:
    """Labels of each annotated string across ``docs``, and a finding for every string
    annotated with different labels (naming up to three documents per label)."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc in docs:
        for m in doc.mentions:
            labels[m.text][m.label] += 1
            where[(m.text, m.label)].add(doc.id)
    findings: list[str] = []
    for surface, counts in sorted(labels.items()):
        if len(counts) > 1:
            parts = ", ".join(
                f"{label} ×{n} ({', '.join(sorted(where[(surface, label)])[:3])})"
                for label, n in counts.most_common()
            )
            findings.append(f"{surface!r} has different labels: {parts}")
    return labels, findings


def check_consistency(docs: Iterable[GoldDoc], *, min_length: int = 2) -> list[str]:
    """Flag annotation inconsistencies across documents.

    - a string annotated with different labels in different places;
    - a string annotated somewhere but left unannotated elsewhere (an occurrence
      that no mention covers). Strings shorter than ``min_length`` are only checked
      for labels: single characters such as 美 occur in 美元 and 华人.
    """
    docs = list(docs)
    labels, findings = label_census(docs)
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
