"""Open an HTML file in headless Chromium: console errors, network requests, screenshot.

A development aid for the report's browser test and ``make screenshot``: it starts
the system Chromium with a throw-away profile, talks to it over the DevTools
protocol (the small ``websocket-client`` package) and returns what a person would
have seen: the console errors and uncaught exceptions, the URLs the page asked for
(a self-contained page asks for none but itself), the JavaScript dialogs it opened
(``alert``: what a script injected by a hostile article would do first) and a PNG of
the page. With ``click_links`` it also clicks every link, as a reader would; no
request leaves the machine (anything but ``file:`` and ``data:`` is refused).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import BrowserError

#: Where Debian's ``chromium`` package puts the browser.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

#: Flags for a quiet, offline, sandbox-free headless run (CI runs as root).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)

_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


@dataclass
class PageVisit:
    """What opening a page produced."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    png: bytes = b""
    width: int = 0
    height: int = 0


def find_chromium() -> str | None:
    """Path of a Chromium binary (``$CHROMIUM`` first), or None."""
    env = os.environ.get("CHROMIUM")
    if env and Path(env).is_file():
        return env
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


class _DevTools:
    """A minimal DevTools-protocol session over one page target."""

    def __init__(self, ws_url: str, timeout: float) -> None:
        import websocket

        self.timeout = timeout
        self.ws: Any = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        self.dialogs: list[str] = []
        self.blocked: list[str] = []

    def _post(self, method: str, params: dict[str, Any]) -> None:
        """Send a command without waiting for its answer (it arrives as an unmatched reply)."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))

    def _receive(self) -> dict[str, Any]:
        """The next message; dialogs are noted and dismissed, outside requests refused."""
        message: dict[str, Any] = json.loads(self.ws.recv())
        method = message.get("method")
        params: dict[str, Any] = message.get("params", {})
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            self._post("Page.handleJavaScriptDialog", {"accept": False})
        elif method == "Fetch.requestPaused":
            request_url = str(params.get("request", {}).get("url", ""))
            if request_url.startswith(("file:", "data:")):
                self._post("Fetch.continueRequest", {"requestId": params["requestId"]})
            else:
                self.blocked.append(request_url)
                self._post(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                )
        return message

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command and wait for its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session is not None:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        wanted = self.next_id
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = self._receive()
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)
        raise BrowserError(f"{method}: no answer in {self.timeout}s")

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for an event (or return it if it already came)."""
        for seen in self.events:
            if seen.get("method") == method:
                return seen
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            event = self._receive()
            self.events.append(event)
            if event.get("method") == method:
                return event
        raise BrowserError(f"no {method} in {self.timeout}s")

    def wait_for_new(self, method: str) -> dict[str, Any]:
        """Wait for an event that has not arrived yet."""
        self.events = [e for e in self.events if e.get("method") != method]
        return self.wait_for(method)

    def close(self) -> None:
        self.ws.close()


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for event in events:
        method = event.get("method")
        params: dict[str, Any] = event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = params.get("args", [])
            found.append("console: " + " ".join(str(a.get("value", a)) for a in args))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception") or {}
            found.append(f"exception: {exception.get('description') or details.get('text')}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                found.append(f"log ({entry.get('source')}): {entry.get('text')}")
    return found


def visit(
    path: str | Path,
    *,
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
    max_height: int = 16000,
    timeout: float = 60.0,
    chromium: str | None = None,
    click_links: bool = False,
) -> PageVisit:
    """Open ``path`` in headless Chromium; collect console errors, requests and a PNG.

    Args:
        path: The HTML file.
        width: Viewport width in CSS pixels.
        height: Viewport height; with ``full_page`` the screenshot covers the whole page.
        full_page: Capture the page's full height (at most ``max_height``).
        max_height: Cap of a full-page capture.
        timeout: Seconds to wait for Chromium and for each DevTools answer.
        chromium: Browser binary (default: :func:`find_chromium`).
        click_links: Click every link after the screenshot (``PageVisit.links``); the
            page is reloaded after a link that leaves it.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise BrowserError("Chromium not found (apt-get install chromium)")
    url = Path(path).resolve().as_uri()
    profile = tempfile.mkdtemp(prefix="zhne-chromium-")
    proc = subprocess.Popen(
        [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ws_url = _wait_listening(proc, timeout)
        tools = _DevTools(ws_url, timeout)
        try:
            return _run_page(tools, url, width, height, full_page, max_height, click_links)
        finally:
            tools.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _wait_listening(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = _LISTENING.search(line)
        if match:
            # Keep draining stderr so Chromium never blocks on a full pipe.
            import threading

            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return match.group(1)
    raise BrowserError("Chromium did not start: " + "".join(seen[-5:]).strip())


def _run_page(
    tools: _DevTools,
    url: str,
    width: int,
    height: int,
    full_page: bool,
    max_height: int,
    click_links: bool,
) -> PageVisit:
    target = tools.send("Target.createTarget", {"url": "about:blank"})
    attached = tools.send(
        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
    )
    tools.session = str(attached["sessionId"])
    for domain in ("Page", "Runtime", "Log", "Network"):
        tools.send(f"{domain}.enable")
    tools.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})  # nothing leaves
    tools.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    tools.events.clear()
    tools.send("Page.navigate", {"url": url})
    tools.wait_for("Page.loadEventFired")
    # Let late console messages and layout settle.
    tools.send("Runtime.evaluate", {"expression": "document.fonts.ready", "awaitPromise": True})
    visit = PageVisit(url=url)
    metrics = tools.send("Page.getLayoutMetrics")
    content = metrics.get("cssContentSize") or metrics.get("contentSize", {})
    page_h = int(content.get("height", height)) if full_page else height
    visit.width, visit.height = width, max(1, min(page_h, max_height))
    shot = tools.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": full_page,
            "clip": {"x": 0, "y": 0, "width": width, "height": visit.height, "scale": 1},
        },
    )
    visit.png = base64.b64decode(shot["data"])
    if click_links:
        visit.links = _click_links(tools, url)
    visit.console_errors = _errors(tools.events)
    visit.dialogs = list(tools.dialogs)
    visit.blocked = list(tools.blocked)
    visit.requests = [
        str(e["params"]["request"]["url"])
        for e in tools.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    return visit


_LINKS = "Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"


def _evaluate(tools: _DevTools, expression: str) -> Any:
    reply = tools.send(
        "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
    )
    return reply.get("result", {}).get("value")


def _click_links(tools: _DevTools, url: str) -> list[str]:
    """Click each link of the page in turn; return their ``href`` values."""
    hrefs = [str(h) for h in _evaluate(tools, _LINKS) or []]
    for i in range(len(hrefs)):
        try:
            _evaluate(
                tools,
                f"document.querySelectorAll('a[href]')[{i}].click();"
                "new Promise(done => setTimeout(done, 150))",
            )
            here = _evaluate(tools, "location.href.split('#')[0]")
        except BrowserError:  # the click left the page mid-evaluation
            here = None
        if here != url:
            tools.send("Page.navigate", {"url": url})
            tools.wait_for_new("Page.loadEventFired")
    return hrefs


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG image (from its header)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def ink_fraction(png: bytes) -> float:
    """Share of pixels that differ from the most common (background) color.

    A blank or failed render is one flat color (0.0); a page of text and charts is
    a few percent or more. Needs Pillow (a development dependency).
    """
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").reduce(4)
    colors = small.getcolors(maxcolors=small.width * small.height)
    if not colors:
        return 0.0
    background = max(count for count, _ in colors)
    total = small.width * small.height
    return 1.0 - background / total
