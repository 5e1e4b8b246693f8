"""Strict mention scoring (ANNOTATION.md "Scoring"), span P/R/F1 and the id overlap check.

A predicted mention is correct when its label and exact text match a gold mention of
the same document, each gold mention matched once. Offsets play no part, so scoring
is a multiset match on ``(label, text)`` per document. DATE value accuracy is the share
of matched DATE mentions whose ``value`` equals the gold value.

The scorer takes plain ``(label, text, value)`` data (or objects with ``.id`` and
``.mentions``); it does not depend on the pipeline. :func:`span_scores` is the offset
variant used on model outputs in training, where a span must match exactly.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field

from pipeline.evaluation.gold import PlainDocs, Triple
from pipeline.schema import LABELS

__all__ = [
    "DateValueError",
    "ErrorCount",
    "IdOverlap",
    "Interval",
    "LabelScore",
    "Scores",
    "bootstrap",
    "doc_counts",
    "id_overlap",
    "score",
    "span_scores",
    "to_plain",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


def _match(
    gold: Sequence[Triple], pred: Sequence[Triple], label: str
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Matched, falsely predicted and missed texts of one label in one document."""
    g = Counter(t for lb, t, _ in gold if lb == label)
    p = Counter(t for lb, t, _ in pred if lb == label)
    return g & p, p - g, g - p


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
            tp, fp, fn = _match(g_mentions, p_mentions, lb)
            counts[lb][0] += sum(tp.values())
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


#: Per document, per label: (tp, fp, fn).
DocCounts = dict[str, dict[str, tuple[int, int, int]]]


def doc_counts(
    gold_docs: PlainDocs | Iterable[Any],
    pred_docs: PlainDocs | Iterable[Any],
    labels: Iterable[str] | None = None,
) -> DocCounts:
    """The match counts of each gold document, per label, as :func:`score` counts them."""
    gold = to_plain(gold_docs)
    pred = to_plain(pred_docs)
    wanted = tuple(labels) if labels is not None else LABELS
    out: DocCounts = {}
    for doc_id, g_mentions in gold.items():
        p_mentions = pred.get(doc_id, [])
        row: dict[str, tuple[int, int, int]] = {}
        for lb in wanted:
            tp, fp, fn = _match(g_mentions, p_mentions, lb)
            row[lb] = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
        out[doc_id] = row
    return out


class Interval(_Strict):
    """A bootstrap percentile interval of F1 (documents resampled with replacement)."""

    f1: float
    low: float
    high: float
    level: float
    resamples: int


def bootstrap(
    counts: DocCounts, *, resamples: int = 1000, level: float = 0.95, seed: int = 0
) -> dict[str, Interval]:
    """F1 intervals per label and for ``ALL``, resampling whole documents.

    Documents, not mentions, are the unit: mentions of one article are not independent
    (one sense per article, one outlet's style), so resampling articles gives the honest
    width. Seeded, so a report is reproducible.
    """
    import numpy as np

    ids = sorted(counts)
    if not ids:
        return {}
    labels = list(counts[ids[0]])
    arr = np.array([[counts[i][lb] for lb in labels] for i in ids], dtype=np.int64)  # D,L,3
    arr = np.concatenate([arr, arr.sum(axis=1, keepdims=True)], axis=1)  # + ALL
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(ids), size=(resamples, len(ids)))
    sums = arr[picks].sum(axis=1).astype(np.float64)  # R,L+1,3

    def f1(c: Any, empty: float) -> Any:
        tp, fp, fn = c[..., 0], c[..., 1], c[..., 2]
        denom = 2 * tp + fp + fn
        out = np.full(tp.shape, empty, dtype=np.float64)
        return np.divide(2 * tp, denom, out=out, where=denom > 0)

    point = f1(arr.sum(axis=0).astype(np.float64), 0.0)
    # a resample without any mention of a label says nothing about it: left out
    draws = f1(sums, np.nan)
    tail = (1 - level) / 2 * 100
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # a label absent from every resample has no interval (0, 0), not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nan_to_num(np.nanpercentile(draws, tail, axis=0))
        high = np.nan_to_num(np.nanpercentile(draws, 100 - tail, axis=0))
    return {
        name: Interval(
            f1=float(point[j]),
            low=float(low[j]),
            high=float(high[j]),
            level=level,
            resamples=resamples,
        )
        for j, name in enumerate([*labels, "ALL"])
    }


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


def span_scores(
    gold: Iterable[Iterable[tuple[int, int, str]]],
    pred: Iterable[Iterable[tuple[int, int, str]]],
    labels: Sequence[str],
) -> dict[str, LabelScore]:
    """Exact-span scores per label and ``"ALL"`` (micro) over parallel sentence lists.

    A predicted ``(start, end, label)`` counts when the same span is in the gold of its
    sentence (gold spans are a set: a duplicate gold span counts once).
    """
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for g_spans, p_spans in zip(gold, pred, strict=True):
        g = set(g_spans)
        p = list(p_spans)
        for sp in p:
            npred[sp[2]] += 1
            if sp in g:
                tp[sp[2]] += 1
        for sp in g:
            ngold[sp[2]] += 1
    out: dict[str, LabelScore] = {}
    for lab in [*labels, "ALL"]:
        if lab == "ALL":
            t, p_, g_ = sum(tp.values()), sum(npred.values()), sum(ngold.values())
        else:
            t, p_, g_ = tp[lab], npred[lab], ngold[lab]
        out[lab] = LabelScore.from_counts(t, p_ - t, g_ - t)
    return out
