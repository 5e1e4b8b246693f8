"""The Doc extensions of the project's pipeline and the helpers that read and rewrite Docs.

Every component of the bundled pipeline works on the same few things: the Simplified
shadow of the text, token offsets, and the entities set so far. They live here, once,
so components import this module and never each other.

Extensions (all default to None), installed by :func:`install_extensions`:

- ``doc._.zhs``: the Simplified shadow of ``doc.text`` (same length), set by the tokenizer;
- ``doc._.published``: the article's publication time (aware datetime), set by the caller;
- ``doc._.timezone``: the newsroom's IANA zone, set by the caller;
- ``doc._.date_claims``: dates fixed before NER (``zh_news_date_claims``);
- ``doc._.date_values``: normalized DATE values keyed by character offsets (``zh_news_dates``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Final

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from pipeline.stages.simplified import to_simplified

#: The Doc extensions the project's components read or write.
EXTENSIONS: Final = ("zhs", "published", "timezone", "date_claims", "date_values", "date_error")
#: ``doc.user_data`` key of the cached text (see :func:`doc_text`).
TEXT_KEY: Final = "zh_news_text"


def install_extensions() -> None:
    """Register the project's Doc extensions (idempotent; done when this module loads)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


install_extensions()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):  # a Doc's text never changes; copies share user_data
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def shadow_text(doc: Doc) -> str:
    """The Simplified shadow of the doc's text (from the tokenizer, or converted now)."""
    zhs = doc._.zhs
    if zhs is None:
        zhs = to_simplified(doc_text(doc))
        doc._.zhs = zhs
    return str(zhs)


def token_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of every token, without making Token objects."""
    if not len(doc):
        return []
    arr = doc.to_array([IDX, LENGTH])
    return list(zip(arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist(), strict=True))


def token_starts(doc: Doc) -> list[int]:
    """Character offsets where tokens start."""
    return doc.to_array([IDX]).tolist() if len(doc) else []


def overlaps_any(
    spans: Sequence[tuple[int, int, str]] | Sequence[tuple[int, int]],
) -> Callable[[int, int], bool]:
    """A test "does [s, e) overlap one of ``spans``?" in O(log n) per call.

    Spans are sorted once; a prefix maximum of their ends makes any set of spans
    (overlapping or not) searchable with one bisection, so checking k spans against
    n costs O((k + n) log n), never k × n.
    """
    ordered = sorted((x[0], x[1]) for x in spans)
    starts = [a for a, _ in ordered]
    reach: list[int] = []
    top = -1
    for _, b in ordered:
        top = max(top, b)
        reach.append(top)

    def test(s: int, e: int) -> bool:
        i = bisect_left(starts, e)  # spans that start before e
        return i > 0 and reach[i - 1] > s

    return test


def split_doc(doc: Doc, spans: Sequence[tuple[int, int, str]]) -> Doc:
    """Set ``spans`` as the ents of ``doc``, re-tokenizing at span boundaries when needed.

    Existing ents of ``doc`` that do not overlap ``spans`` are kept; Doc extension
    values are copied. Token attributes other than text are not preserved.
    """
    keep = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    taken = sorted(spans)
    hit = overlaps_any(taken)
    merged = list(taken)
    merged.extend(k for k in keep if not hit(k[0], k[1]))
    merged.sort()
    # Fast path: every span already falls on token boundaries.
    aligned = [doc.char_span(s, e, label=lab) for s, e, lab in merged]
    if all(span is not None for span in aligned):
        doc.ents = aligned  # type: ignore[assignment]
        return doc
    text = doc_text(doc)
    cuts = {0, len(text)}
    for s, e, _ in merged:
        cuts.add(s)
        cuts.add(e)
    cuts.update(token_starts(doc))
    bounds = sorted(cuts)
    words = [text[a:b] for a, b in pairwise(bounds) if b > a]
    starts = {b: i for i, b in enumerate(bounds[:-1])}
    tags = ["O"] * len(words)
    for s, e, lab in merged:
        i, j = starts[s], starts.get(e, len(words))
        tags[i] = f"B-{lab}"
        for k in range(i + 1, j):
            tags[k] = f"I-{lab}"
    new = Doc(doc.vocab, words=words, spaces=[False] * len(words), ents=tags)
    new.user_data.update(doc.user_data)
    return new
