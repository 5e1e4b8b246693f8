"""Parse stage: one raw feed-item file → :class:`~pipeline.schema.Article`.

The format (see README): ``<!--EPOCH_MS-->``, ``[TITLE](URL)``, ``------``, a blank
line, then the body as HTML ending with the feed's promo footer (dropped). The
body's lines are classified (:mod:`pipeline.stages.blocks`): the article ``text`` is
the title, then the paragraphs and captions, one per line, with tags removed,
entities unescaped and whitespace runs collapsed; ``blocks`` gives each line's kind
and ``authors`` the names of the bylines. Timestamps, bylines and chrome are dropped.

Decoding salvages what can be read and says so in ``warnings``: a file cut inside
its last UTF-8 character (``truncated``), NUL bytes in text (``nul_bytes``), a
legacy encoding (``decoded_as_gb18030``, ``decoded_as_utf16``, ``decoded_as_other``).
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import os
import re
import stat
from pathlib import Path

from pipeline.defaults import DEFAULT_MAX_BYTES
from pipeline.errors import (
    BadEncoding,
    BadHeader,
    BinaryInput,
    EmptyInput,
    InputError,
    InputNotFound,
    PipelineError,
    SymlinkLoop,
    TooLarge,
    Unreadable,
)
from pipeline.schema import Article, Author, RecordWarning, TextBlock, WarningCode
from pipeline.stages.blocks import (
    BLOCK_TAGS,
    KEPT_KINDS,
    SKIP_TAGS,
    VOID_TAGS,
    Block,
    classify,
    extract_blocks,
)
from pipeline.stages.zones import zone_for_url
from pipeline.urls import check_url

__all__ = [
    "BLOCK_TAGS",
    "SKIP_TAGS",
    "VOID_TAGS",
    "body_blocks",
    "check_readable",
    "clean_inline",
    "decode_bytes",
    "decode_with_warnings",
    "html_to_paragraphs",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_bytes",
    "strip_footer",
]

_READ_BLOCK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

# Encodings tried, in order, after UTF-8 fails: the legacy encodings of Chinese text.
LEGACY_ENCODINGS = ("gb18030", "big5", "big5hkscs", "cp950", "utf_16")

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


def _clean_line(text: str) -> str:
    return clean_inline(deep_unescape(text))


def body_blocks(body: str, *, title: str = "") -> list[Block]:
    """Classify the lines of a body (footer already removed): paragraph, caption, byline, …"""
    raw = extract_blocks(_TRUNCATED_TAG.sub("", body), clean=_clean_line)  # cut inside a tag
    return classify(raw, title=title)


def html_to_paragraphs(body: str) -> list[str]:
    """The lines of an HTML fragment that stay in ``text``: paragraphs and captions."""
    return [b.text for b in body_blocks(body) if b.kind in KEPT_KINDS]


def strip_footer(body: str) -> str:
    """Drop the feed's promo footer (``<br><hr><div>获取更多RSS…``) from the end of the body."""
    cut = _FOOTER.search(body)
    if cut is None:
        cut = _FOOTER_FALLBACK.search(body)
    return body[: cut.start()] if cut else body


_LEGACY_CODES: dict[str, WarningCode] = {
    "gb18030": "decoded_as_gb18030",
    "utf_16": "decoded_as_utf16",
}


def decode_bytes(data: bytes, *, source: str = "<bytes>") -> str:
    """Decode a raw file: UTF-8 first, then the detected legacy Chinese encoding."""
    return decode_with_warnings(data, source=source)[0]


def decode_with_warnings(
    data: bytes, *, source: str = "<bytes>"
) -> tuple[str, list[RecordWarning]]:
    """Decode a raw file, salvaging what can be read; the warnings say what was repaired.

    A file cut inside its last UTF-8 character loses that character (``truncated``);
    NUL bytes inside otherwise UTF-8 text are removed (``nul_bytes``); a legacy
    encoding is named (``decoded_as_*``). A file that is mostly binary stays ``binary``.
    """
    if not data.strip():
        raise EmptyInput("the file is empty", source=source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BadEncoding(
                f"invalid UTF-16 after its byte-order mark: {e.reason}",
                source=source,
                encoding="utf-16",
                data=data,
                start=e.start,
                end=e.end,
            ) from e
        return _checked(text, source), [
            RecordWarning(code="decoded_as_utf16", message="decoded as UTF-16 (byte order mark)")
        ]
    warnings: list[RecordWarning] = []
    nuls = data.count(b"\x00")
    if nuls and nuls * 2 < len(data):  # fewer NULs than text bytes: text with a gap
        stripped = data.replace(b"\x00", b"")
        if _utf8_until_cut(stripped) is not None:
            data = stripped
            warnings.append(
                RecordWarning(code="nul_bytes", message=f"removed {nuls} NUL bytes from the text")
            )
    decoded = _utf8_until_cut(data)
    if decoded is not None:
        text, cut = decoded
        if cut:
            warnings.append(
                RecordWarning(
                    code="truncated",
                    message=f"the file ends inside a UTF-8 character; dropped its last {cut} bytes",
                )
            )
    else:
        text, encoding = _decode_legacy(data, source)
        code = _LEGACY_CODES.get(encoding, "decoded_as_other")
        warnings.append(RecordWarning(code=code, message=f"not UTF-8; decoded as {encoding}"))
    return _checked(text, source), warnings


def _utf8_until_cut(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text without an incomplete last character, and the bytes dropped; else ``None``."""
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError as e:
        if e.end == len(data) and "unexpected end" in e.reason:
            return data[: e.start].decode("utf-8-sig"), len(data) - e.start
        return None


def _checked(text: str, source: str) -> str:
    if _looks_binary(text):
        raise BinaryInput("the file holds binary data, not text", source=source)
    return text


def _decode_legacy(data: bytes, source: str) -> tuple[str, str]:
    controls = sum(data.count(bytes([c])) for c in range(32) if c not in b"\t\n\r\f\v\x1b")
    if b"\x00" in data or controls > len(data) // 200:
        raise BinaryInput(
            "the file holds binary data (NUL bytes), not text", source=source, data=data
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        # A UnicodeDecodeError at UTF-8's first bad byte, naming every codec tried.
        try:
            data.decode("utf-8-sig")
            start, end, reason = 0, len(data), "no supported codec"
        except UnicodeDecodeError as e:
            start, end, reason = e.start, e.end, e.reason
        tried = ", ".join(["utf-8", *LEGACY_ENCODINGS])
        raise BadEncoding(
            f"the bytes are not text in any supported encoding (tried {tried}; "
            f"UTF-8 fails at byte {start}: {reason})",
            source=source,
            encoding="utf-8",
            data=data,
            start=start,
            end=end,
        )
    return str(best), best.encoding


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
    title, given_url = _parse_link(lines[1].rstrip("\r"), where)
    url, rejected = check_url(given_url)  # untrusted: only absolute http(s) URLs are kept
    warnings = [RecordWarning(code="url_rejected", message=rejected)] if rejected else []
    if not _HEADER_RULE.match(lines[2]):
        raise BadHeader(f"line 3 must be ------, got {lines[2][:60]!r}", source=where)
    body = lines[3] if len(lines) > 3 else ""
    classified = body_blocks(strip_footer(body), title=title)
    if timezone is None:
        timezone = zone_for_url(url)
    text, blocks = assemble_text(title, classified)
    return Article(
        id=id,
        source=source,
        title=title,
        url=url,
        published=published,
        timezone=timezone,
        text=text,
        blocks=blocks,
        authors=collect_authors(classified),
        warnings=warnings,
    )


def assemble_text(title: str, classified: list[Block]) -> tuple[str, list[TextBlock]]:
    """The record's text (title, then the kept lines) and one block per line."""
    lines: list[tuple[str, str]] = [("title", title)]
    lines += [(b.kind, b.text) for b in classified if b.kind in KEPT_KINDS]
    blocks: list[TextBlock] = []
    start = 0
    for kind, line in lines:
        blocks.append(TextBlock(kind=kind, start=start, end=start + len(line)))  # type: ignore[arg-type]
        start += len(line) + 1
    return "\n".join(line for _, line in lines), blocks


def collect_authors(classified: list[Block]) -> list[Author]:
    """The names of the body's bylines, in order, each (name, role) once."""
    seen: set[tuple[str, str | None]] = set()
    out: list[Author] = []
    for b in classified:
        for a in b.authors:
            if (a.name, a.role) not in seen:
                seen.add((a.name, a.role))
                out.append(Author(name=a.name, role=a.role))
    return out


def _os_error(path: str, err: OSError) -> PipelineError:
    if err.errno == errno.ELOOP:
        return SymlinkLoop("symbolic link loop", source=path)
    if err.errno == errno.ENOENT:
        what = "dangling symbolic link" if os.path.islink(path) else "no such file"
        return InputNotFound(what, source=path)
    if err.errno in (errno.EACCES, errno.EPERM):
        return Unreadable("permission denied", source=path, errno=err.errno)
    return Unreadable(f"cannot read: {err.strerror or err}", source=path, errno=err.errno)


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """Open ``path`` non-blocking and check it is a regular file: its fd and stat.

    The caller closes the fd. Raises the coded input error otherwise.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise _os_error(path, e) from e
    try:
        st = os.fstat(fd)
    except OSError as e:
        os.close(fd)
        raise _os_error(path, e) from e
    if stat.S_ISDIR(st.st_mode) or not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("is a directory, not a file", source=path, errno=errno.EISDIR)
        raise Unreadable("not a regular file (FIFO, socket or device)", source=path)
    return fd, st


def check_readable(path: str | Path) -> None:
    """Raise the input error (``not_found``, ``unreadable``, ...) that reading ``path`` would.

    Opens and closes the file without reading it (non-blocking, so a FIFO is an
    error, not a hang): the CLI's one check for files it is given.
    """
    fd, _ = _open_regular(os.fspath(path))
    os.close(fd)


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read one regular file of at most ``max_bytes`` bytes.

    The file is opened non-blocking and checked on its descriptor (no race between
    the check and the read): directories, FIFOs, sockets and devices are
    ``unreadable``, larger files ``too_large`` without reading a byte beyond the limit.
    """
    path = os.fspath(path)
    fd, st = _open_regular(path)
    try:
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
    except InputError:  # ours (also OSErrors): already coded
        raise
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
    return parse_bytes(data, id=path.stem, source=str(path), timezone=timezone)


def parse_bytes(
    data: bytes, *, id: str, source: str | None = None, timezone: str | None = None
) -> Article:
    """Decode (salvaging, with warnings) and parse the bytes of one raw file."""
    text, warnings = decode_with_warnings(data, source=source or id)
    article = parse_text(text, id=id, source=source, timezone=timezone)
    article.warnings = [*warnings, *article.warnings]
    return article
