"""Which article URLs are kept and linked: absolute http(s) URLs only.

Feed files are untrusted input and their URL ends up as a link in the HTML report
and in notebooks. One check serves both places: the parse stage keeps only the URLs
that pass it (anything else becomes ``url: null`` and a ``url_rejected`` warning),
and the renderers link only URLs that pass it, whatever a records file holds.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: The only schemes kept and linked.
SAFE_SCHEMES = frozenset({"http", "https"})


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL, or None when it is one.

    Whitespace and control characters anywhere in the URL make it malformed: browsers
    drop them, so ``java\\tscript:`` would otherwise slip past a scheme check.
    """
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "malformed: whitespace or control characters"
    if not url:
        return "empty"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as e:
        return f"malformed: {e}"
    scheme = parts.scheme.lower()
    if not scheme:
        return "no scheme: a relative URL"
    if scheme not in SAFE_SCHEMES:
        return f"scheme {scheme!r} is not http or https"
    if not parts.hostname:
        return f"scheme {scheme!r} without a host"
    if "\\" in url:
        return "malformed: backslash"
    return None


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (never link anything else)."""
    if url is None or url_problem(url) is not None:
        return None
    return url


def check_url(url: str | None) -> tuple[str | None, str | None]:
    """The URL to keep and, when it is rejected, the warning message saying why."""
    if url is None:
        return None, None
    problem = url_problem(url)
    if problem is None:
        return url, None
    return None, f"article URL rejected ({problem}); only absolute http(s) URLs are kept"
