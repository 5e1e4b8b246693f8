"""Measured tables written into the docs between ``<!-- NAME:start -->`` / ``<!-- NAME:end -->``.

``make eval-readme``, ``make eval-card`` and ``make bench`` keep their figures in README.md
and the model card between such markers, so a rerun replaces the old figures in place and
the prose around them stays as written.
"""

from __future__ import annotations

import re
from pathlib import Path


def marked_block(name: str, body: str) -> str:
    """``body`` between the start and end markers of ``name``."""
    return f"<!-- {name}:start -->\n{body}\n<!-- {name}:end -->"


def write_marked(path: Path, name: str, body: str, *, heading: str | None = None) -> bool:
    """Replace the ``name`` block of ``path`` with ``body``; True when the file changed.

    A file without the markers gets the block appended under ``heading`` (a new section);
    without a heading it is left as it is. The body is inserted literally (backslashes in a
    table are not read as regex group references).
    """
    block = marked_block(name, body)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(
        rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S
    )
    if pattern.search(text):
        new = pattern.sub(lambda _: block, text)
    elif heading is not None:
        new = f"{text}\n## {heading}\n\n{block}\n"
    else:
        return False
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
