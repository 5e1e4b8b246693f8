"""The per-user cache directory: derived data that is slow to rebuild at every start.

Files here are rebuilt from their sources whenever they are absent, stale or
unreadable, so the directory may be deleted at any time. Its place, in order:
``$ZH_NEWS_NER_CACHE`` (an empty value or ``off`` turns caching off),
``$XDG_CACHE_HOME/zh_news_ner``, ``~/.cache/zh_news_ner``. A directory that cannot be
created or written only costs speed: callers build in memory and go on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

CACHE_ENV = "ZH_NEWS_NER_CACHE"
_OFF = ("", "0", "off", "none")


def cache_dir() -> Path | None:
    """The cache directory (not created here), or None when caching is turned off."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "zh_news_ner"


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> bool:
    """Write ``path`` through a temporary file in its directory, then rename it into place.

    Readers never see a half-written file, and concurrent writers (batch workers
    starting together) each replace it whole. Returns False, leaving nothing behind,
    when the directory cannot be created or written.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        logger.debug("cache: cannot write %s (%s); continuing without it", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
