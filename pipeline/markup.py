"""The one escaping and linking path of the HTML renderers (record view and report).

Everything that comes from an article or a records file (titles, text, entity names,
ids, URLs, sources) is untrusted. The renderers (:mod:`pipeline.render`,
:mod:`pipeline.report`) put such data into markup only through :func:`esc` and
:func:`link`, and whole pages carry :data:`CSP`, so that an escaping slip still runs
nothing: no script, no event handler, no request.
"""

from __future__ import annotations

import html

from pipeline.urls import safe_url

#: Content-Security-Policy of every page we write: inline styles and data: images only;
#: no script, no plugin, no frame, no form, no base URL, no request to anywhere.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

#: The ``<head>`` lines every page we write starts with (charset, CSP, no referrer).
HEAD_META = (
    '<meta charset="utf-8">'
    f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP, quote=True)}">'
    '<meta name="referrer" content="no-referrer">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
)


def esc(value: object) -> str:
    """Escape data for HTML text and for quoted attribute values (``& < > " '``)."""
    return html.escape(str(value), quote=True)


def link(url: str | None, text: str) -> str:
    """``text`` as a link to ``url`` when it is an absolute http(s) URL, else plain text.

    Links open without a referrer and without handing the new page a handle on ours.
    """
    target = safe_url(url)
    if target is None:
        return esc(text)
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(text)}</a>'
