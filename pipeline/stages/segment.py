"""Segment stage: jieba word segmentation as the tokenizer of a spaCy ``Language``.

Traditional Chinese is segmented (and later tagged) through a *shadow* text
converted to Simplified character by character, so every offset in the shadow is
an offset in the original: tokens are slices of the original text and
``doc.text == text`` always holds. jieba runs as a private ``jieba.Tokenizer``
instance with the project's user dictionary, so importing the pipeline never
changes a user's global jieba state.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import jieba
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from pipeline.stages import jieba_dict
from pipeline.stages.docs import TEXT_KEY
from pipeline.stages.names import TOKENIZER
from pipeline.stages.simplified import to_simplified

logger = logging.getLogger(__name__)

USERDICT_NAME = "userdict.txt"
#: Longest run of jieba's word characters handed to jieba in one call. jieba's HMM
#: (``finalseg.viterbi``) copies its whole path at every step, so its cost is
#: quadratic in the length of a run the dictionary cannot split (年年年…, OCR junk);
#: longer runs are cut first. Runs in news prose are far shorter, so normal text is
#: segmented exactly as before.
MAX_RUN = 200
#: jieba's own block pattern (``jieba.re_han_default``): what one DAG + HMM pass sees.
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
TOKENIZER_NAME = TOKENIZER


def default_userdict() -> Path:
    """The user dictionary shipped with the package (jieba format: word [freq] [tag])."""
    return Path(str(resources.files("pipeline") / "data" / USERDICT_NAME))


class JiebaSegmenter:
    """A private jieba tokenizer with the project's user dictionary.

    Thread-safe initialisation; the dictionaries load on first use, from a per-user
    cache of the finished prefix dictionary (:mod:`pipeline.stages.jieba_dict`).
    """

    def __init__(
        self, userdict: Path | None = None, *, hmm: bool = True, data: bytes | None = None
    ) -> None:
        self.userdict = userdict if userdict is not None else default_userdict()
        self.data = data  # a user dictionary given as bytes wins over the path
        self.hmm = hmm
        self._tk: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The initialised jieba tokenizer (loaded lazily, once)."""
        if self._tk is None:
            with self._lock:
                if self._tk is None:
                    jieba.setLogLevel(logging.WARNING)
                    self._tk = jieba_dict.tokenizer(self.userdict_bytes())
        return self._tk

    def userdict_bytes(self) -> bytes:
        """The user dictionary this segmenter loads, as bytes (empty when it has none)."""
        if self.data is not None:
            return self.data
        return self.userdict.read_bytes() if self.userdict.is_file() else b""

    def words(self, text: str) -> list[str]:
        """Segment ``text`` (its Simplified shadow) into words whose lengths add up to len(text)."""
        shadow = to_simplified(text)
        out: list[str] = []
        pos = 0
        tk = self.tokenizer
        for part in self.parts(shadow):
            for piece in tk.cut(part, HMM=self.hmm):
                n = len(piece)
                if n:
                    out.append(text[pos : pos + n])
                    pos += n
        return out

    def parts(self, shadow: str) -> list[str]:
        """``shadow`` in consecutive parts, each holding no run longer than :data:`MAX_RUN`.

        A text without such a run is one part (segmented exactly as jieba would). A
        long run is cut before a dictionary word of two or more characters found by
        jieba's linear dictionary pass (where the HMM would flush its buffer anyway)
        in the second half of each window, else at the window's end.
        """
        cuts: list[int] = []
        for m in _BLOCK.finditer(shadow):
            start, end = m.span()
            while end - start > MAX_RUN:
                cut = start + MAX_RUN
                pos = start
                for word in self.tokenizer.cut(shadow[start:cut], HMM=False):
                    if len(word) > 1 and pos > start + MAX_RUN // 2:
                        cut = pos
                    pos += len(word)
                cuts.append(cut)
                start = cut
        if not cuts:
            return [shadow]
        bounds = [0, *cuts, len(shadow)]
        return [shadow[a:b] for a, b in pairwise(bounds)]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Word boundaries as (start, end) character offsets into ``text``."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for w in self.words(text):
            spans.append((pos, pos + len(w)))
            pos += len(w)
        return spans


class ZhNewsTokenizer:
    """spaCy tokenizer: jieba words over the Simplified shadow, slices of the original text."""

    def __init__(self, vocab: Vocab, segmenter: JiebaSegmenter | None = None) -> None:
        self.vocab = vocab
        self.segmenter = segmenter if segmenter is not None else JiebaSegmenter()

    def __call__(self, text: str) -> Doc:
        words = self.segmenter.words(text)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc._.zhs = to_simplified(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # Serialization: the user dictionary travels with a saved pipeline.
    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / USERDICT_NAME).write_bytes(self.segmenter.userdict_bytes())

    def from_disk(self, path: str | Path, **kwargs: Any) -> ZhNewsTokenizer:
        candidate = Path(path) / USERDICT_NAME
        if candidate.is_file():
            self.segmenter = JiebaSegmenter(candidate, hmm=self.segmenter.hmm)
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.segmenter.userdict_bytes()

    def from_bytes(self, data: bytes, **kwargs: Any) -> ZhNewsTokenizer:
        self.segmenter = JiebaSegmenter(data=bytes(data), hmm=self.segmenter.hmm)
        return self


@registry.tokenizers(TOKENIZER_NAME)  # type: ignore[untyped-decorator]
def create_tokenizer(hmm: bool = True, userdict: str | None = None) -> Any:
    """Tokenizer factory for configs: ``@tokenizers = "zh_news.jieba_tokenizer.v1"``.

    ``userdict`` is a jieba user dictionary file (None: the one shipped with the
    package); a saved pipeline's own copy (``tokenizer/userdict.txt``) replaces it
    when the pipeline loads.
    """
    path = Path(userdict) if userdict is not None else None

    def make(nlp: Language) -> ZhNewsTokenizer:
        return ZhNewsTokenizer(nlp.vocab, JiebaSegmenter(path, hmm=hmm))

    return make


def blank_nlp() -> Language:
    """A blank Chinese ``Language`` whose tokenizer is the project's jieba segmenter."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
