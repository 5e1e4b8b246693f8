"""Default values shared by the library, the batch job and the command line, defined once.

A leaf module (it imports nothing from the package), so the schema, the stages, the
batch options and the CLI's help texts all read the same value.
"""

from __future__ import annotations

#: The bundled spaCy pipeline, loaded when no model is named.
BUNDLED_MODEL = "zh_news_ner"
#: Newsroom zone of an article whose URL names no known outlet (relative dates resolve in it).
DEFAULT_ZONE = "Asia/Shanghai"
#: Larger raw files are ``too_large`` error lines, never read whole.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Files picked inside input directories.
DEFAULT_GLOB = "*.txt"
#: Inputs per chunk, the unit of work and of commit: small enough that the last
#: chunk does not idle a worker long.
DEFAULT_CHUNK_SIZE = 32
#: Seconds one file may take in a batch run: ample for the largest file
#: ``DEFAULT_MAX_BYTES`` lets through at linear cost, yet a stuck file frees its worker.
DEFAULT_FILE_TIMEOUT = 600.0
#: Articles handed to the model at once inside a chunk.
PIPE_BATCH = 16
#: Articles per model call when streaming with :meth:`pipeline.runner.Extractor.pipe`.
EXTRACT_BATCH = 32

__all__ = [
    "BUNDLED_MODEL",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_FILE_TIMEOUT",
    "DEFAULT_GLOB",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_ZONE",
    "EXTRACT_BATCH",
    "PIPE_BATCH",
]
