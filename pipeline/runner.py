"""The runner: composes parse → segment → extract → dates → link into records.

:class:`Extractor` is the one code path behind the CLI and the notebook API. It
holds a loaded spaCy pipeline (tokenizer = the jieba segment stage, then NER,
then dates) and turns Articles into validated :class:`~pipeline.schema.Record`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.defaults import BUNDLED_MODEL, EXTRACT_BATCH
from pipeline.schema import (
    LABELS,
    Article,
    BlockKind,
    Mention,
    PipelineInfo,
    Record,
    RecordWarning,
    TextBlock,
)
from pipeline.stages.link import Span, link
from pipeline.stages.ner import map_label
from pipeline.stages.pieces import PIECE_CHARS, piece_bounds

logger = logging.getLogger(__name__)

#: Characters that never belong at the edge of a name (quotes, brackets, spaces).
EDGE_CHARS = " \t\n\u3000\u00a0\"'“”‘’「」『』《》〈〉()（）[]【】〔〕<>,，.。、:：;；!！?？·-—"


def package_version() -> str:
    """Installed version of this package."""
    try:
        return version("zh-news-entities")
    except PackageNotFoundError:
        return "0.0.0+local"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Move span edges inward past quotes, brackets and spaces (guide: they are outside)."""
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


def model_name(model: str | Path | None) -> str:
    """The name a record gives its model: the bundled name or the path's last part."""
    return BUNDLED_MODEL if model is None else Path(str(model)).name


def pipeline_info(meta: Mapping[str, Any], model: str | Path | None) -> PipelineInfo:
    """The ``pipeline`` field of records made with a model of this meta."""
    return PipelineInfo(
        version=package_version(),
        model=model_name(model),
        model_version=str(meta.get("version", "0.0.0")),
    )


def content_id(text: str) -> str:
    """The default id of a text given without one: 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _as_text(text: object) -> tuple[str, tuple[RecordWarning, ...]]:
    """The text to extract from, with the warnings of decoding it if it was bytes."""
    if isinstance(text, str):
        return text, ()
    if isinstance(text, bytes | bytearray | memoryview):
        data = bytes(text)
        if not data.strip():  # nothing but ASCII white space: no codec question
            return data.decode("ascii"), ()
        from pipeline.stages.parse import decode_with_warnings

        decoded, warnings = decode_with_warnings(data)
        return decoded, tuple(warnings)
    raise TypeError(
        f"extract() takes the article text as str (or bytes to decode), not {type(text).__name__}"
    )


def _as_instant(published: object) -> dt.datetime | None:
    """``published`` as an aware UTC datetime (ISO strings parsed; naive means UTC)."""
    if published is None:
        return None
    if isinstance(published, str):
        try:
            published = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"published must be an ISO 8601 date-time such as 2022-01-05T20:45:01Z, "
                f"got {published!r}"
            ) from None
    if not isinstance(published, dt.datetime):
        raise TypeError(
            f"published must be a datetime, an ISO string or None, not {type(published).__name__}"
        )
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return published.astimezone(dt.UTC)


def record_from_spans(
    article: Article,
    spans: list[Span],
    info: PipelineInfo,
    warnings: list[RecordWarning] | None = None,
) -> Record:
    """The validated Record of ``article`` with ``spans`` (sorted) as its mentions, linked
    into entities; ``warnings`` default to the article's."""
    entities = link(article.text, spans)
    mentions = [
        Mention(
            text=s.text, label=s.label, start=s.start, end=s.end, value=s.value, entity=s.entity
        )
        for s in spans
    ]
    return Record(
        id=article.id,
        source=article.source,
        title=article.title,
        url=article.url,
        published=article.published,
        timezone=article.timezone,
        text=article.text,
        blocks=list(article.blocks),
        authors=list(article.authors),
        mentions=mentions,
        entities=entities,
        warnings=list(article.warnings) if warnings is None else warnings,
        pipeline=info,
    )


@dataclass(frozen=True, slots=True)
class PieceResult:
    """What a record needs of a processed Doc: entities, DATE values, a date-rule failure."""

    ents: list[tuple[int, int, str]]
    values: dict[tuple[int, int], str | None]
    date_error: str | None


def piece_result(doc: Doc) -> PieceResult:
    """Reduce a processed Doc to :class:`PieceResult` (the Doc can then be dropped)."""
    return PieceResult(
        ents=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
        values=dict(doc._.date_values or {}),
        date_error=doc._.date_error,
    )


class Extractor:
    """A loaded pipeline that turns articles or plain texts into records."""

    def __init__(self, nlp: Language, *, model: str | Path | None = None) -> None:
        self.nlp = nlp
        self.info = pipeline_info(nlp.meta, model if model is not None else nlp.meta.get("name"))

    @classmethod
    def load(
        cls,
        model: str | Path | None = None,
        *,
        settings: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Extractor:
        """Load the bundled model (default), a model path, or an installed spaCy pipeline.

        ``settings`` overrides components' config by name (see ``load_pipeline``).
        """
        from pipeline.resources import load_pipeline

        nlp = load_pipeline(model, settings=settings)
        return cls(nlp, model=BUNDLED_MODEL if model is None else model)

    # -- documents -------------------------------------------------------
    @property
    def piece_chars(self) -> int:
        """Longest text processed as one Doc; longer texts go in pieces (see pieces.py)."""
        return max(2, min(PIECE_CHARS, int(self.nlp.max_length)))

    def make_doc(self, article: Article, start: int = 0, end: int | None = None) -> Doc:
        """Tokenize an article (or its piece ``[start, end)``) and attach its context."""
        text = article.text if start == 0 and end is None else article.text[start:end]
        doc = self.nlp.make_doc(text)
        doc._.published = article.published
        doc._.timezone = article.timezone
        return doc

    def to_record(
        self, article: Article, doc: Doc | Sequence[tuple[int, Doc | PieceResult]]
    ) -> Record:
        """Turn a processed Doc (or its pieces, each with its offset) into a validated Record."""
        text = article.text
        parts = [(0, piece_result(doc))] if isinstance(doc, Doc) else list(doc)
        results = [(o, p if isinstance(p, PieceResult) else piece_result(p)) for o, p in parts]
        spans: list[Span] = []
        seen: set[tuple[int, int]] = set()
        for offset, part in results:
            for ent_start, ent_end, ent_label in part.ents:
                label = map_label(ent_label)
                if label is None or label not in LABELS:
                    continue
                start, end = trim_span(text, offset + ent_start, offset + ent_end)
                if start >= end or (start, end) in seen:
                    continue
                seen.add((start, end))
                value = part.values.get((ent_start, ent_end)) if label == "DATE" else None
                spans.append(Span(start, end, label, text[start:end], value))
        spans.sort(key=lambda s: (s.start, s.end))
        warnings = list(article.warnings)
        failed = next((part.date_error for _, part in results if part.date_error), None)
        if failed:
            warnings.append(
                RecordWarning(
                    code="date_rules_failed",
                    message=f"the date rules failed on this article ({failed}); "
                    "it has no DATE mentions from them",
                )
            )
        return record_from_spans(article, spans, self.info, warnings)

    # -- public entry points --------------------------------------------
    def pipe(
        self, articles: Iterable[Article], *, batch_size: int = EXTRACT_BATCH
    ) -> Iterator[Record]:
        """Stream records for a stream of articles, in order."""
        pending: list[Article] = []
        limit = self.piece_chars

        def flush() -> Iterator[Record]:
            yield from self.pipe_docs(
                [(a, self.make_doc(a)) for a in pending], batch_size=batch_size
            )
            pending.clear()

        for article in articles:
            if len(article.text) > limit:
                # A long text goes alone, one piece at a time: memory stays that of a piece.
                yield from flush()
                yield self._in_pieces(article, limit)
                continue
            pending.append(article)
            if len(pending) >= batch_size:
                yield from flush()
        if pending:
            yield from flush()

    def pipe_docs(
        self, pairs: Sequence[tuple[Article, Doc | None]], *, batch_size: int = EXTRACT_BATCH
    ) -> Iterator[Record]:
        """Records for articles already tokenized with :meth:`make_doc` (the model steps).

        An article given without a Doc (``None``: too long for one, see
        :attr:`piece_chars`) is processed in pieces, in its place in the order.
        """
        whole = [doc for _, doc in pairs if doc is not None]
        docs = iter(self.nlp.pipe(whole, batch_size=batch_size))
        for article, doc in pairs:
            if doc is None:
                yield self._in_pieces(article, self.piece_chars)
            else:
                yield self.to_record(article, next(docs))

    def _in_pieces(self, article: Article, limit: int) -> Record:
        """One record for a text longer than ``limit``, processed piece by piece."""
        # Each piece's Doc is reduced to its entities at once: memory holds one Doc.
        parts = [
            (a, piece_result(self.nlp(self.make_doc(article, a, b))))
            for a, b in piece_bounds(article.text, limit)
        ]
        return self.to_record(article, parts)

    def extract_article(self, article: Article) -> Record:
        """One record for one article."""
        return next(self.pipe([article]))

    def extract(
        self,
        text: str | bytes,
        *,
        published: dt.datetime | str | None = None,
        title: str | None = None,
        url: str | None = None,
        id: str | None = None,
        timezone: str | None = None,
    ) -> Record:
        """One record for a plain text; ``title`` (if given) becomes the first line of ``text``.

        ``text`` may be bytes: they are decoded like a raw file
        (:func:`~pipeline.stages.parse.decode_with_warnings`: UTF-8, then UTF-16 or the
        detected legacy Chinese codec, with a ``decoded_as_*`` warning in the record).
        ``id`` defaults to :func:`content_id` of the record's text.

        Raises:
            TypeError: ``text`` (or another argument) has the wrong type.
            UnicodeDecodeError: bytes that decode in no supported codec
                (:class:`~pipeline.errors.BadEncoding`, naming the codecs tried).
            ValueError: ``published`` is not an ISO 8601 date-time.
        """
        from pipeline.stages.zones import zone_for_url

        text, warnings = _as_text(text)
        for name, value in (("title", title), ("url", url), ("id", id), ("timezone", timezone)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
        published = _as_instant(published)
        from pipeline.urls import check_url

        full = f"{title}\n{text}" if title else text
        url, rejected = check_url(url)  # the same rule as for feed files
        blocks: list[TextBlock] = []
        start = 0
        for i, line in enumerate(full.split("\n")):
            kind: BlockKind = "title" if title and i == 0 else "paragraph"
            blocks.append(TextBlock(kind=kind, start=start, end=start + len(line)))
            start += len(line) + 1
        article = Article(
            id=content_id(full) if id is None else id,
            title=title or "",
            url=url,
            published=published,
            timezone=timezone or zone_for_url(url),
            text=full,
            blocks=blocks,
            warnings=[
                *warnings,
                *([RecordWarning(code="url_rejected", message=rejected)] if rejected else []),
            ],
        )
        return self.extract_article(article)

    def extract_file(self, path: str | Path, *, timezone: str | None = None) -> Record:
        """One record for one raw feed-item file (``timezone`` overrides the outlet's zone)."""
        from pipeline.stages.parse import parse_file

        return self.extract_article(parse_file(path, timezone=timezone))
