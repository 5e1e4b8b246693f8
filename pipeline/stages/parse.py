"""Parse stage: one raw feed-item file → :class:`~pipeline.schema.Article`.

The format (see README): ``<!--EPOCH_MS-->``, ``[TITLE](URL)``, ``------``, a blank
line, then the body as HTML ending with the feed's promo footer (dropped). The
article ``text`` is the title, then one body paragraph per line, with tags removed,
entities unescaped, scripts/styles/iframes dropped and whitespace runs collapsed.
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

from pipeline.errors import (
    BadEncoding,
    BadHeader,
    BinaryInput,
    EmptyInput,
    InputNotFound,
    PipelineError,
    SymlinkLoop,
    TooLarge,
    Unreadable,
)
from pipeline.schema import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_READ_BLOCK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

# Encodings tried, in order, after UTF-8 fails: the legacy encodings of Chinese text.
LEGACY_ENCODINGS = ("gb18030", "big5", "big5hkscs", "cp950", "utf_16")

#: Elements whose content is never article text.
SKIP_TAGS = frozenset(
    {
        "script", "style", "iframe", "noscript", "svg", "video", "audio", "template",
        "object", "embed", "canvas", "button", "select", "textarea", "head", "math",
    }
)  # fmt: skip
#: Elements that end a paragraph.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "figcaption", "figure", "table", "tr", "td", "th", "section", "article", "header",
        "footer", "pre", "hr", "dd", "dt", "dl", "aside", "main", "nav", "form", "caption",
        "address", "center",
    }
)  # fmt: skip
VOID_TAGS = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr"}
)

_HEADER_TIME = re.compile(r"^\s*<!--\s*(-?\d{1,16})\s*-->\s*$")
_HEADER_RULE = re.compile(r"^\s*-{3,}\s*$")
_FOOTER = re.compile(r"(?:<br\s*/?>\s*)*(?:<hr\s*/?>\s*)?<div[^>]*>\s*获取更多RSS.*\Z", re.S | re.I)
_FOOTER_FALLBACK = re.compile(r"获取更多RSS.*\Z", re.S)
_WS = re.compile(r"[\s\u200b\u2060]+")  # str.isspace() set + zero-width space/joiner
# Invisible characters and C0 controls (NUL included) that are not whitespace: dropped.
_INVISIBLE = str.maketrans(
    "",
    "",
    "\ufeff\u200b\u200c\u200d\u2060\u00ad\x7f"
    + "".join(chr(c) for c in range(32) if not chr(c).isspace()),
)
_TRUNCATED_TAG = re.compile(r"<[A-Za-z/!][^<>]*\Z")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def clean_inline(text: str) -> str:
    """Collapse whitespace runs (NBSP, U+3000, line separators included) to one space."""
    return _WS.sub(" ", text.translate(_INVISIBLE)).strip()


def deep_unescape(text: str, *, rounds: int = 3) -> str:
    """Unescape HTML entities, repeatedly for double-escaped feeds (``&amp;#22338;`` → 坂)."""
    for _ in range(rounds):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


class _TextExtractor(HTMLParser):
    """Collect paragraph text from HTML; iterative, so any nesting depth is safe."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buf: list[str] = []
        self._skip: list[str] = []

    def _flush(self) -> None:
        if self._buf:
            para = clean_inline(deep_unescape("".join(self._buf)))
            if para:
                self.paragraphs.append(para)
            self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self._skip.append(tag)
        elif not self._skip and tag in BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip and tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            elif tag in self._skip:  # tolerate unclosed inner skip tags
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_paragraphs(body: str) -> list[str]:
    """Turn an HTML fragment into its text paragraphs (the feed footer already removed)."""
    parser = _TextExtractor()
    parser.feed(_TRUNCATED_TAG.sub("", body))  # a download cut inside a tag
    parser.close()
    return parser.paragraphs


def strip_footer(body: str) -> str:
    """Drop the feed's promo footer (``<br><hr><div>获取更多RSS…``) from the end of the body."""
    cut = _FOOTER.search(body)
    if cut is None:
        cut = _FOOTER_FALLBACK.search(body)
    return body[: cut.start()] if cut else body


def decode_bytes(data: bytes, *, source: str = "<bytes>") -> str:
    """Decode a raw file: UTF-8 first, then the detected legacy Chinese encoding."""
    if not data.strip():
        raise EmptyInput("the file is empty", source=source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BadEncoding(f"invalid UTF-16: {e}", source=source) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data, source)
    if _looks_binary(text):
        raise BinaryInput("the file holds binary data, not text", source=source)
    return text


def _decode_legacy(data: bytes, source: str) -> str:
    controls = sum(data.count(bytes([c])) for c in range(32) if c not in b"\t\n\r\f\v\x1b")
    if b"\x00" in data or controls > len(data) // 200:
        raise BinaryInput("the file holds binary data (NUL bytes), not text", source=source)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise BadEncoding("the bytes are neither UTF-8 nor GB18030/Big5 text", source=source)
    return str(best)


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 20)


def _parse_published(line: str, source: str) -> dt.datetime:
    m = _HEADER_TIME.match(line)
    if m is None:
        raise BadHeader(
            f"line 1 must be <!--EPOCH_MS--> (publication time in ms), got {line[:60]!r}",
            source=source,
        )
    try:
        return dt.datetime.fromtimestamp(int(m.group(1)) / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as e:
        raise BadHeader(f"line 1: epoch {m.group(1)} is out of range", source=source) from e


def _parse_link(line: str, source: str) -> tuple[str, str | None]:
    line = line.strip()
    sep = line.rfind("](")
    if not line.startswith("[") or sep < 0 or not line.endswith(")"):
        raise BadHeader(f"line 2 must be [TITLE](URL), got {line[:60]!r}", source=source)
    title = clean_inline(deep_unescape(line[1:sep]))
    url = line[sep + 2 : -1].strip() or None
    return title, url


def parse_text(
    raw: str,
    *,
    id: str,
    source: str | None = None,
    timezone: str | None = None,
) -> Article:
    """Parse the decoded content of a raw file into an Article.

    ``timezone`` is the newsroom's IANA zone (``--tz``); by default it is derived from
    the URL's outlet.
    """
    where = source or id
    lines = raw.split("\n", 3)
    if len(lines) < 3:
        raise BadHeader(
            "expected the header lines <!--EPOCH_MS-->, [TITLE](URL) and ------", source=where
        )
    published = _parse_published(lines[0].lstrip("\ufeff").rstrip("\r"), where)
    title, url = _parse_link(lines[1].rstrip("\r"), where)
    if not _HEADER_RULE.match(lines[2]):
        raise BadHeader(f"line 3 must be ------, got {lines[2][:60]!r}", source=where)
    body = lines[3] if len(lines) > 3 else ""
    paragraphs = html_to_paragraphs(strip_footer(body))
    if timezone is None:
        from pipeline.stages.dates import zone_for_url

        timezone = zone_for_url(url)
    return Article(
        id=id,
        source=source,
        title=title,
        url=url,
        published=published,
        timezone=timezone,
        text="\n".join([title, *paragraphs]),
    )


def _os_error(path: str, err: OSError) -> PipelineError:
    if err.errno == errno.ELOOP:
        return SymlinkLoop("symbolic link loop", source=path)
    if err.errno == errno.ENOENT:
        what = "dangling symbolic link" if os.path.islink(path) else "no such file"
        return InputNotFound(what, source=path)
    if err.errno in (errno.EACCES, errno.EPERM):
        return Unreadable("permission denied", source=path)
    return Unreadable(f"cannot read: {err.strerror or err}", source=path)


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read one regular file of at most ``max_bytes`` bytes.

    The file is opened non-blocking and checked on its descriptor (no race between
    the check and the read): directories, FIFOs, sockets and devices are
    ``unreadable``, larger files ``too_large`` without reading a byte beyond the limit.
    """
    path = os.fspath(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise _os_error(path, e) from e
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("is a directory, not a file", source=path)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file (FIFO, socket or device)", source=path)
        if st.st_size > max_bytes:
            raise TooLarge(f"{st.st_size} bytes, more than the limit of {max_bytes}", source=path)
        blocks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            block = os.read(fd, min(_READ_BLOCK, max_bytes + 1 - size))
            if not block:
                break
            blocks.append(block)
            size += len(block)
        if size > max_bytes:  # the file grew after fstat
            raise TooLarge(f"more than the limit of {max_bytes} bytes", source=path)
        return b"".join(blocks)
    except OSError as e:
        raise _os_error(path, e) from e
    finally:
        os.close(fd)


def parse_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, timezone: str | None = None
) -> Article:
    """Read, decode and parse one raw file (id = file stem, source = path)."""
    path = Path(path)
    data = read_bytes(path, max_bytes=max_bytes)
    text = decode_bytes(data, source=str(path))
    return parse_text(text, id=path.stem, source=str(path), timezone=timezone)
