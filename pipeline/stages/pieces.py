"""Long texts in pieces: cut at sentence boundaries so no Doc grows without bound.

spaCy refuses a text longer than ``nlp.max_length`` (E088), and the cost of one
Doc — tokens, re-tokenized copies, the tagger's features — grows with the text. A
text longer than :data:`PIECE_CHARS` (or the pipeline's ``max_length``, whichever is
smaller) is processed as consecutive pieces; offsets are shifted back, so mentions
are exact in the whole text. Pieces end after a sentence end (。！？!?；; or a line
break, with closing quotes), else after a comma or white space, and only where
nothing else exists, at the limit itself.

What a piece cannot see: the one-sense-per-article pass and bracketed aliases work
within each piece (a piece is tens of news articles long), and linking still groups
mentions over the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: Characters per piece: far above any news article, small enough for bounded memory.
PIECE_CHARS = 100_000

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+[”’」』）)\"']*")
_SOFT_END = re.compile(r"[，,、：:\s]+")


def _last_end(ends: list[int], lo: int, hi: int) -> int | None:
    """The last of the sorted ``ends`` in (lo, hi], or None."""
    i = bisect_right(ends, hi)
    return ends[i - 1] if i and ends[i - 1] > lo else None


def piece_bounds(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most ``limit`` characters covering ``text``.

    A text within the limit is one piece. Cuts prefer a sentence end in the second
    half of the window, then a comma or white space there, then the limit.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    if len(text) <= limit:
        return [(0, len(text))]
    hard = [m.end() for m in _SENTENCE_END.finditer(text)]
    soft = [m.end() for m in _SOFT_END.finditer(text)]
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        hi = start + limit
        lo = start + limit // 2
        cut = _last_end(hard, lo, hi) or _last_end(soft, lo, hi) or hi
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out
