"""The checker of the standoff store: hard problems, label consistency, and counts.

Hard problems (the store is wrong): unreadable lines, unknown fields or labels,
duplicate ids, ids of the blind dev set (news_gold), ids missing from the corpus,
outlet or publication time differing from the corpus, a text hash or length that does
not match the rebuilt opening, offsets outside the text, mentions unsorted or
overlapping, spaces inside a mention's edges, DATE values missing or outside the
value grammar, values on other labels.

Consistency findings (to review, not errors): a string with different labels in
different articles, and an occurrence of an annotated string (two characters or more)
that no mention covers. The guide allows some (a product name that is also its
maker's brand, a place name borrowed by a ship, 今天 meaning "nowadays"), so they are
reported for a reader to confirm, not rejected.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.annotations.corpus import corpus_dir, fetch, gold_ids, script_of
from pipeline.annotations.store import StandoffArticle, standoff_files, to_gold
from pipeline.annotations.store import rebuild_text as _rebuild
from pipeline.errors import AnnotationError
from pipeline.evaluate import GoldDoc, label_census, mention_problems


class CheckReport(BaseModel):
    """What the checker found, and what the store holds."""

    model_config = ConfigDict(extra="forbid")

    files: int = 0
    articles: int = 0
    characters: int = 0
    problems: list[str] = Field(default_factory=list)
    consistency: list[str] = Field(default_factory=list)
    labels: dict[str, int] = Field(default_factory=dict)
    outlets: dict[str, int] = Field(default_factory=dict)
    outlet_mentions: dict[str, dict[str, int]] = Field(default_factory=dict)
    scripts: dict[str, int] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No hard problems."""
        return not self.problems


def _inside_token(text: str, start: int, end: int) -> bool:
    """An occurrence glued to a Latin letter or digit (11 in 3118萬, Xu in Xuan) is no word."""

    def alnum(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return (alnum(text[start]) and alnum(before)) or (alnum(text[end - 1]) and alnum(after))


def consistency_findings(docs: list[GoldDoc], *, min_length: int = 2) -> list[str]:
    """Strings labelled differently across articles, unlabelled occurrences of labelled ones,
    and mentions nested in an unlabelled occurrence of a longer labelled string.

    Unlabelled occurrences are checked for strings of ``min_length`` characters or more
    (single characters such as 美 occur in 美元) that are not bare numbers, and not where
    the occurrence is part of a longer Latin or digit token.
    """
    labels, findings = label_census(docs)
    for doc in docs:
        text = doc.text or ""
        covered = [(m.start, m.end) for m in doc.mentions]
        for surface, counts in sorted(labels.items()):
            if len(surface) < min_length or surface.isdigit():
                continue  # a bare number is a DATE only by its context
            at = text.find(surface)
            while at >= 0:
                end = at + len(surface)
                if not any(s < end and at < e for s, e in covered) and not _inside_token(
                    text, at, end
                ):
                    context = text[max(0, at - 8) : end + 8].replace("\n", " ")
                    findings.append(
                        f"{doc.id}: {surface!r} at {at} is not annotated "
                        f"(elsewhere {counts.most_common(1)[0][0]}): ...{context}..."
                    )
                at = text.find(surface, at + 1)
    findings.extend(_nested_findings(docs, labels))
    return findings


def _nested_findings(docs: list[GoldDoc], labels: dict[str, Counter[str]]) -> list[str]:
    """Mentions lying inside an occurrence of a longer annotated string left unannotated there.

    美 in 美国务卿 or 欧美国家 is right; 台 in 对台湾 is a slip (台湾 is LOC elsewhere).
    """
    by_char: dict[str, list[str]] = defaultdict(list)
    for surface in labels:
        if len(surface) >= 2:
            for ch in set(surface):
                by_char[ch].append(surface)
    findings: list[str] = []
    for doc in docs:
        text = doc.text or ""
        spans = {(m.start, m.end) for m in doc.mentions}
        for m in doc.mentions:
            for longer in by_char.get(m.text[0], []):
                if len(longer) <= len(m.text) or m.text not in longer:
                    continue
                at = text.find(longer, max(0, m.end - len(longer)))
                while 0 <= at <= m.start:
                    end = at + len(longer)
                    if m.end <= end and (at, end) not in spans:
                        context = text[max(0, at - 4) : end + 4].replace("\n", " ")
                        findings.append(
                            f"{doc.id}: {m.label} {m.text!r} at {m.start} lies inside {longer!r} "
                            f"(elsewhere {labels[longer].most_common(1)[0][0]}), "
                            f"not annotated here: ...{context}..."
                        )
                    at = text.find(longer, at + 1)
    return findings


def _read(path: str | Path, report: CheckReport) -> list[tuple[str, StandoffArticle]]:
    records: list[tuple[str, StandoffArticle]] = []
    seen: dict[str, str] = {}
    files = standoff_files(path)
    report.files = len(files)
    for file in files:
        with file.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                where = f"{file.name}:{n}"
                if not line.strip():
                    continue
                try:
                    rec = StandoffArticle.model_validate(json.loads(line))
                except json.JSONDecodeError as e:
                    report.problems.append(f"{where}: invalid JSON: {e.msg}")
                    continue
                except ValidationError as e:
                    for err in e.errors():
                        loc = ".".join(str(p) for p in err["loc"])
                        report.problems.append(f"{where}: {loc}: {err['msg']}")
                    continue
                if rec.id in seen:
                    report.problems.append(
                        f"{where}: duplicate id {rec.id} (first at {seen[rec.id]})"
                    )
                    continue
                seen[rec.id] = where
                records.append((where, rec))
    return records


def check_store(path: str | Path, shared: str | Path) -> CheckReport:
    """Check every record of the store at ``path`` against the corpus in ``shared``.

    Raises AnnotationError when ``shared`` lacks the corpus (nothing can be verified).
    """
    directory = corpus_dir(shared)
    if directory is None:
        raise AnnotationError(f"{Path(shared) / 'corpora' / 'news_unlabeled'} is absent")
    report = CheckReport()
    records = _read(path, report)
    blind = gold_ids(shared)
    texts = fetch(directory, (rec.id for _, rec in records))
    docs: list[GoldDoc] = []
    labels: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    scripts: Counter[str] = Counter()
    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    for where, rec in records:
        tag = f"{where} {rec.id}"
        if rec.id in blind:
            report.problems.append(f"{tag}: is in the blind dev set news_gold; never annotate it")
        if rec.method == "silver":
            report.problems.append(f"{tag}: silver (unreviewed teacher output) has no place here")
        art = texts.get(rec.id)
        if art is None:
            report.problems.append(f"{tag}: not in the corpus")
            continue
        if art.outlet != rec.outlet:
            report.problems.append(f"{tag}: outlet {rec.outlet}, the corpus says {art.outlet}")
        if art.published != rec.published:
            report.problems.append(
                f"{tag}: published {rec.published}, the corpus says {art.published}"
            )
        try:
            text = _rebuild(rec, art.text)
        except AnnotationError as e:
            report.problems.append(f"{where} {e}")
            continue
        inside = [m for m in rec.mentions if m.end <= len(text)]
        report.problems.extend(
            f"{tag}: mention {i} {m.start}:{m.end} ends after the text ({len(text)} characters)"
            for i, m in enumerate(rec.mentions)
            if m.end > len(text)
        )
        doc = to_gold(rec.model_copy(update={"mentions": inside}), text)
        report.problems.extend(f"{tag}: {msg}" for msg in mention_problems(doc, text))
        docs.append(doc)
        report.articles += 1
        report.characters += len(text)
        outlets[rec.outlet] += 1
        scripts[script_of(text)] += 1
        for m in rec.mentions:
            labels[m.label] += 1
            per_outlet[rec.outlet][m.label] += 1
    report.consistency = consistency_findings(docs)
    report.labels = dict(sorted(labels.items()))
    report.outlets = dict(outlets.most_common())
    report.outlet_mentions = {k: dict(sorted(v.items())) for k, v in sorted(per_outlet.items())}
    report.scripts = dict(sorted(scripts.items()))
    return report
