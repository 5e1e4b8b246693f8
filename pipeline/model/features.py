"""Character features of the tagger, computed with numpy (shared by training and inference).

Per character: a character id (NFKC-folded), a character class, the id of the bigram
it starts, a "soft word" id (its position in jieba's word and that word's length) and,
when the model uses them, lexicon bits (which dictionary words begin, continue or end
at the character, by class) and SoftLexicon vectors (the frequency-weighted average
vector of the dictionary words that begin, continue or end at the character).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

PAD, UNK, BOUND = 0, 1, 2  # reserved character ids; bigram ids use PAD and UNK too
N_CLASSES = 8  # pad, han, digit, upper, lower, punct/symbol, space, other
N_SOFTWORD = 10  # pad + S, B2 E2, B3 M3 E3, B4 M4 E4
TABLE_SIZE = 0x30000  # code points beyond this map to UNK / "other"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
#: Lexicon matches of a text: (start, length, position of the word's key) per match.
Matches = tuple[IntArray, IntArray, IntArray]
#: The features of a text: char ids, class ids, bigram ids, soft-word ids, lexicon bits
#: and the SoftLexicon vectors (n, 3 x width; width 0 without them).
Features = tuple[IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray]


def _char_class(c: str) -> int:
    cat = unicodedata.category(c)
    if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or c >= "\U00020000":
        return 1
    if cat == "Nd":
        return 2
    if cat == "Lu":
        return 3
    if cat in ("Ll", "Lo", "Lm", "Lt"):
        return 4
    if cat.startswith(("P", "S")):
        return 5
    if cat.startswith("Z") or c in "\t\r\n":
        return 6
    return 7


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier


class KeyIndex:
    """Vectorized open-addressing hash table over unique 64-bit keys: key → its position.

    Replaces a binary search over sorted keys (18 dependent cache misses per lookup
    on a few hundred thousand keys) with about one probe per lookup, answered for whole
    arrays of keys at a time. The table (12 bytes per slot, 2.5 slots per key) is built
    on the first large lookup: single sentences use the binary search and never pay
    for it.
    """

    #: Below this many keys per call, a binary search is cheaper than the probe loop.
    SMALL = 512

    def __init__(self, keys: npt.NDArray[Any]) -> None:
        self.keys = np.asarray(keys)  # sorted, unique
        self.max_probe = -1  # the table is built on the first large lookup

    def _build(self) -> None:
        ukeys = self.keys.astype(np.uint64)
        n = len(ukeys)
        bits = max(4, int(n * 2.5).bit_length())  # at most 40 % full
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.slot_keys = np.zeros(1 << bits, dtype=np.uint64)
        self.slot_pos = np.full(1 << bits, -1, dtype=np.int32)
        home = self._home(ukeys)
        pending = np.arange(n)
        probe = 0
        while pending.size:  # linear probing, all keys of one probe distance at once
            slots = (home[pending] + probe) & self.mask
            free = self.slot_pos[slots] < 0
            self.slot_pos[slots[free]] = pending[free]  # of keys sharing a slot, one lands
            won = free & (self.slot_pos[slots] == pending)
            self.slot_keys[slots[won]] = ukeys[pending[won]]
            pending = pending[~won]
            probe += 1
        self.max_probe = probe

    def _home(self, keys: npt.NDArray[np.uint64]) -> IntArray:
        return (keys * _GOLDEN >> self.shift).astype(np.int64)

    def find(self, keys: npt.NDArray[Any]) -> IntArray:
        """Position of each key in the indexed key array, or -1 where it is absent."""
        if len(keys) < self.SMALL:
            if not len(self.keys):
                return np.full(len(keys), -1, dtype=np.int64)
            pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            return np.where(self.keys[pos] == keys, pos, -1)
        if self.max_probe < 0:
            self._build()
        q = np.asarray(keys).astype(np.uint64)
        home = self._home(q)
        out = np.full(len(q), -1, dtype=np.int64)
        todo = np.arange(len(q))
        for probe in range(self.max_probe):
            if not todo.size:
                break
            slots = (home[todo] + probe) & self.mask
            pos = self.slot_pos[slots].astype(np.int64)
            hit = (pos >= 0) & (self.slot_keys[slots] == q[todo])
            out[todo[hit]] = pos[hit]
            todo = todo[(pos >= 0) & ~hit]
        return out


class Featurizer:
    """Maps texts to id arrays with vectorized lookups (no per-character Python work)."""

    def __init__(
        self,
        chars: str,
        bigram_keys: IntArray,
        word_classes: WordClasses | None = None,
        lexicon: Lexicon | None = None,
        softlex: SoftLexicon | None = None,
    ) -> None:
        if softlex is not None and lexicon is None:
            raise ValueError("SoftLexicon vectors need the lexicon that finds the words")
        self.chars = chars
        self.word_classes = word_classes
        self.lexicon = lexicon
        self.softlex = softlex
        self.n_softword = (
            N_SOFTWORD if word_classes is None else 1 + (N_WORD_CLASSES - 1) * N_POSITIONS
        )
        self.n_chars = len(chars) + 3
        self.bigram_keys = np.asarray(bigram_keys, dtype=np.int64)
        self.n_bigrams = len(self.bigram_keys) + 2
        self.bigram_index = KeyIndex(self.bigram_keys)
        self._index = {c: i + 3 for i, c in enumerate(chars)}
        # Per code point: character id and class, filled in for the code points seen
        # (computing all of them, NFKC and class, would slow every load down).
        self.table = np.full(TABLE_SIZE, UNK, dtype=np.int64)
        self.classes = np.zeros(TABLE_SIZE, dtype=np.int64)
        self._known = np.zeros(TABLE_SIZE, dtype=bool)

    def _fill(self, cps: IntArray) -> None:
        """Compute the table entries of the code points in ``cps`` not seen before."""
        missing = cps[~self._known[cps]]
        if not missing.size:
            return
        index = self._index
        for cp in np.unique(missing).tolist():
            if 0xD800 <= cp < 0xE000:
                self.classes[cp] = 7
            else:
                c = chr(cp)
                n = unicodedata.normalize("NFKC", c) if cp < 0x10000 else c
                norm = n if len(n) == 1 else c
                self.classes[cp] = _char_class(norm)
                self.table[cp] = index.get(norm, UNK)
            self._known[cp] = True  # after the entries: a concurrent reader sees them set

    @staticmethod
    def codepoints(text: str) -> IntArray:
        """Code points of ``text`` (clipped to the lookup table)."""
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        return np.minimum(cps, TABLE_SIZE - 1)

    def char_ids(self, text: str) -> tuple[IntArray, IntArray]:
        """Character ids and classes."""
        cps = self.codepoints(text)
        self._fill(cps)
        return self.table[cps], self.classes[cps]

    def bigram_ids(self, cids: IntArray, lasts: IntArray | None = None) -> IntArray:
        """Id of the bigram (c[i], c[i+1]); the last character (and ``lasts``) pair with BOUND."""
        nxt = np.empty_like(cids)
        nxt[:-1] = cids[1:]
        nxt[-1:] = BOUND
        if lasts is not None:
            nxt[lasts] = BOUND
        keys = cids * self.n_chars + nxt
        if len(self.bigram_keys) == 0:
            return np.full_like(cids, UNK)
        pos = self.bigram_index.find(keys)
        return np.where(pos >= 0, pos + 2, UNK)

    @staticmethod
    def softword_ids(n: int, words: Sequence[tuple[int, int]] | IntArray) -> IntArray:
        """Soft-word ids from word spans covering ``n`` characters (gaps count as words)."""
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        bounds = np.zeros(n + 1, dtype=bool)
        bounds[0] = bounds[n] = True
        if len(words):
            w = np.asarray(words, dtype=np.int64).reshape(-1, 2)
            w = w[(w[:, 0] >= 0) & (w[:, 1] <= n)]
            bounds[w[:, 0]] = True
            bounds[w[:, 1]] = True
        starts = np.flatnonzero(bounds[:-1])
        ends = np.append(starts[1:], n)
        lens = ends - starts
        wl = np.repeat(lens, lens)
        pos = np.arange(n) - np.repeat(starts, lens)
        out = np.ones(n, dtype=np.int64)  # S
        two = wl == 2
        out[two] = 2 + pos[two]  # B2=2, E2=3
        three = wl == 3
        out[three] = 4 + pos[three]  # B3 M3 E3 = 4 5 6
        big = wl >= 4
        out[big] = np.where(pos[big] == 0, 7, np.where(pos[big] == wl[big] - 1, 9, 8))
        return out

    def _lexicon_features(
        self, text: str, limit: IntArray | None = None
    ) -> tuple[IntArray, FloatArray]:
        """Lexicon bits and SoftLexicon vectors, from one search for dictionary words."""
        n = len(text)
        width = self.softlex.width if self.softlex is not None else 0
        if self.lexicon is None:
            return np.zeros(n, dtype=np.int64), np.zeros((n, width), dtype=np.float32)
        matches = self.lexicon.matches(text, limit)
        bits = self.lexicon.bits_of(n, matches)
        if self.softlex is None:
            return bits, np.zeros((n, 0), dtype=np.float32)
        return bits, self.softlex.vectors_of(n, matches)

    def softlex_terms(self, text: str) -> tuple[IntArray, IntArray, FloatArray]:
        """:meth:`SoftLexicon.weights` of one text (what training averages in torch)."""
        if self.softlex is None or self.lexicon is None:
            raise ValueError("this featurizer has no SoftLexicon")
        return self.softlex.weights(len(text), self.lexicon.matches(text))

    def featurize(self, text: str, words: Sequence[tuple[int, int]]) -> Features:
        """(char ids, class ids, bigram ids, soft-word ids, lexicon bits, SoftLexicon vectors)."""
        cids, cls = self.char_ids(text)
        sw = self.softword_ids(len(text), words)
        if self.word_classes is not None:
            sw = self.word_classes.word_ids(text, words, sw)
        lex, soft = self._lexicon_features(text)
        return cids, cls, self.bigram_ids(cids), sw, lex, soft

    def featurize_flat(
        self, texts: Sequence[str], words: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[Features, IntArray]:
        """The features of all texts joined, and where each text starts in them.

        Every lookup runs once over the whole batch; text ends act as word boundaries,
        bigram ends and lexicon limits, so each text's slice is exactly what
        :meth:`featurize` gives it alone.
        """
        if len(texts) == 1:
            return self.featurize(texts[0], words[0]), np.zeros(1, dtype=np.int64)
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        joined = "".join(texts)
        n = len(joined)
        cids, cls = self.char_ids(joined)
        ends = starts + lens
        counts = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        spans = np.fromiter(
            chain.from_iterable(chain.from_iterable(words)),
            dtype=np.int64,
            count=2 * int(counts.sum()),
        ).reshape(-1, 2)
        spans += np.repeat(starts, counts)[:, None]
        cuts = ends[(ends > 0) & (ends < n)]  # empty "words" cut at text ends
        sw = self.softword_ids(n, np.concatenate([spans, np.stack([cuts, cuts], axis=1)]))
        if self.word_classes is not None:
            sw = self.word_classes.word_ids(joined, spans, sw)
        limit = np.repeat(ends, lens)  # each character's text end
        lex, soft = self._lexicon_features(joined, limit)
        bids = self.bigram_ids(cids, ends[lens > 0] - 1)
        return (cids, cls, bids, sw, lex, soft), starts

    def featurize_many(
        self, texts: Sequence[str], words: Sequence[Sequence[tuple[int, int]]]
    ) -> list[Features]:
        """:meth:`featurize` of each text, computed over all texts at once."""
        flat, starts = self.featurize_flat(texts, words)
        cut = starts[1:]
        parts = [np.split(a, cut) for a in flat]
        return list(zip(*parts, strict=True))


# --------------------------------------------------------------- word classes
#: jieba dictionary tags grouped into word classes (0 is padding).
WORD_CLASS_OTHER, WORD_CLASS_OOV = 1, 6
_TAG_CLASS = {"nr": 2, "nrt": 2, "nrfg": 2, "ns": 3, "nt": 4, "nz": 5}
N_WORD_CLASSES = 7
N_POSITIONS = 9  # S, B2 E2, B3 M3 E3, B4 M4 E4


def _jieba_dictionaries() -> list[Path]:
    """jieba's ``dict.txt`` and the project's user dictionary (when present), in that order."""
    import importlib.util
    from importlib import resources

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is required for the dictionary features")
    user = Path(str(resources.files("pipeline") / "data" / "userdict.txt"))
    return [Path(spec.origin).parent / "dict.txt", *([user] if user.is_file() else [])]


def _key_table(
    pairs: Sequence[tuple[int, int]], dtype: type[np.integer[Any]]
) -> tuple[npt.NDArray[Any], npt.NDArray[np.int8]]:
    """Sorted keys with a class each; of keys that collide, the first is kept."""
    ordered = sorted(pairs)
    keys = np.array([k for k, _ in ordered], dtype=dtype)
    classes = np.array([c for _, c in ordered], dtype=np.int8)
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    return keys[keep], classes[keep]


class WordClasses:
    """Class of each jieba word: dictionary tag group (person/place/org/other proper) or OOV.

    Built at training time from jieba's own dictionary and the project's user dictionary;
    the model stores it compactly as sorted 64-bit word keys (CRC-32 and length) with a
    class per key, so loading needs neither the dictionary text nor a Python dict.
    """

    #: Below this many words, :meth:`keys_of` hashes word by word.
    SMALL = 128

    def __init__(self, keys: IntArray, classes: npt.NDArray[np.int8]) -> None:
        self.keys = np.asarray(keys, dtype=np.int64)
        self.classes = np.asarray(classes, dtype=np.int8)
        self.index = KeyIndex(self.keys)

    @staticmethod
    def key(word: str) -> int:
        """64-bit key of a word: CRC-32 of its UTF-8 bytes, length in the high bits."""
        return zlib.crc32(word.encode("utf-8")) | (len(word) << 32)

    @classmethod
    def from_dicts(cls, dict_paths: Sequence[str]) -> WordClasses:
        """Read jieba-format dictionaries (``word [freq] [tag]``); later files win."""
        known: dict[str, int] = {}
        for path in dict_paths:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) > 0 and len(parts[0]) > 1:
                        tag = parts[2] if len(parts) > 2 else ""
                        known[parts[0]] = _TAG_CLASS.get(tag, WORD_CLASS_OTHER)
        # CRC collisions between dictionary words: one entry per key
        return cls(*_key_table([(cls.key(w), c) for w, c in known.items()], np.int64))

    @classmethod
    def default(cls) -> WordClasses:
        """jieba's dict.txt plus the project's user dictionary (pipeline/data/userdict.txt)."""
        return cls.from_dicts([str(p) for p in _jieba_dictionaries()])

    @staticmethod
    def keys_of(text: str, spans: IntArray) -> IntArray:
        """:meth:`key` of each ``text[a:b]`` for (a, b) rows of ``spans``, computed in bulk.

        The CRC-32 (zlib's: reflected, polynomial 0xEDB88320) runs over the words' UTF-8
        bytes one byte position at a time for all words at once, longest words first.
        """
        n = len(text)
        if len(spans) < WordClasses.SMALL:  # a sentence: zlib per word is cheaper
            key = WordClasses.key
            return np.array(
                [key(text[a:b]) for a, b in np.clip(spans, 0, n).tolist()], dtype=np.int64
            )
        a = np.clip(spans[:, 0], 0, n)
        b = np.clip(spans[:, 1], a, n)
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        width = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
        offset = np.concatenate([[0], np.cumsum(width, dtype=np.int64)])
        buf = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        first, size = offset[a], offset[b] - offset[a]
        order = np.argsort(-size, kind="stable")
        first, size = first[order], size[order]
        crc = np.full(len(size), 0xFFFFFFFF, dtype=np.uint32)
        neg = -size
        for k in range(int(size[0]) if len(size) else 0):
            m = int(np.searchsorted(neg, -k, side="left"))  # words longer than k bytes
            c = crc[:m]
            c[:] = _CRC_TABLE[(c ^ buf[first[:m] + k]) & 0xFF] ^ (c >> 8)
        crc ^= np.uint32(0xFFFFFFFF)
        keys = np.empty(len(size), dtype=np.int64)
        keys[order] = crc.astype(np.int64)
        return keys | ((b - a) << 32)

    def word_ids(
        self, text: str, words: Sequence[tuple[int, int]] | IntArray, sw: IntArray
    ) -> IntArray:
        """Combine soft-word positions ``sw`` (1..9) with the class of each character's word."""
        n = len(text)
        if n == 0:
            return sw
        cls = np.full(n, WORD_CLASS_OTHER, dtype=np.int64)
        if len(words) < self.SMALL:  # a sentence: word by word costs less than numpy set-up
            pairs = words.tolist() if isinstance(words, np.ndarray) else words
            multi_few = [(a, b) for a, b in pairs if b - a > 1]
            if multi_few and len(self.keys):
                key = self.key
                keys = np.array([key(text[a:b]) for a, b in multi_few], dtype=np.int64)
                pos = self.index.find(keys)
                for i, p in enumerate(pos.tolist()):
                    a, b = multi_few[i]
                    c = int(self.classes[p]) if p >= 0 else WORD_CLASS_OTHER
                    if p < 0 and text[a:b].isalpha():
                        c = WORD_CLASS_OOV
                    if c != WORD_CLASS_OTHER:
                        cls[a:b] = c
            return (cls - 1) * N_POSITIONS + sw
        w = np.asarray(words, dtype=np.int64).reshape(-1, 2)
        multi = w[w[:, 1] - w[:, 0] > 1]
        if len(multi) and len(self.keys):
            pos = self.index.find(self.keys_of(text, multi))
            found = pos >= 0
            word_cls = np.where(found, self.classes[pos], WORD_CLASS_OTHER)
            for i in np.flatnonzero(~found).tolist():
                a, b = multi[i].tolist()
                if text[a:b].isalpha():
                    word_cls[i] = WORD_CLASS_OOV
            marked = np.flatnonzero(word_cls != WORD_CLASS_OTHER)
            if marked.size:  # their characters take the word's class (later words win)
                a = np.clip(multi[marked, 0], 0, n)
                size = np.clip(multi[marked, 1], a, n) - a
                first = np.cumsum(size) - size
                idx = np.arange(int(size.sum())) - np.repeat(first - a, size)
                cls[idx] = np.repeat(word_cls[marked], size)
        return (cls - 1) * N_POSITIONS + sw


def _crc_table() -> npt.NDArray[np.uint32]:
    """zlib's CRC-32 byte table."""
    c = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        c = np.where(c & 1, np.uint32(0xEDB88320) ^ (c >> 1), c >> 1).astype(np.uint32)
    return c


_CRC_TABLE = _crc_table()


# --------------------------------------------------------------- lexicon matches
#: Lexicon word classes; a character gets one bit per (position, class) of the
#: dictionary words that cover it: begins / inside / ends × the five classes.
LEX_CLASSES = 5  # other word, person, place, organization, other proper name
LEX_POSITIONS = 3  # B, M, E
LEX_BITS = LEX_CLASSES * LEX_POSITIONS
LEX_MAX_LEN = 8
_LEX_TAG = {"nr": 1, "nrt": 1, "nrfg": 1, "ns": 2, "nt": 3, "nz": 4}
_LEX_LABEL = {"PERSON": 1, "LOC": 2, "ORG": 3}
_P = np.uint64(0x100000001B3)  # FNV prime: a polynomial hash over code points


def _poly_keys(cps: npt.NDArray[np.uint64], length: int) -> npt.NDArray[np.uint64]:
    """Hash keys of every substring of ``length`` code points (uint64 arithmetic wraps)."""
    h = cps[: len(cps) - length + 1].copy()
    for j in range(1, length):
        h *= _P
        h += cps[j : len(cps) - length + 1 + j]
    return h * _P + np.uint64(length)


def inside(start: IntArray, size: IntArray) -> tuple[IntArray, IntArray]:
    """The characters strictly inside each word (its M positions): (word index, position)
    pairs, word by word, for words at ``start`` of ``size`` characters."""
    inner = size - 2
    owner = np.repeat(np.arange(len(start)), inner)
    offset = np.arange(len(owner)) - (np.cumsum(inner) - inner)[owner] + 1
    return owner, start[owner] + offset


class Lexicon:
    """All dictionary words found in a text, as per-character (position × class) bits.

    The lattice-NER idea ("SoftLexicon") without word embeddings: jieba picks one
    segmentation, but a name often hides in a word jieba did not choose (蔡|英文 vs
    蔡英文). Every dictionary word of 2–8 characters in the text is matched — with
    vectorized polynomial hashes and a binary search over sorted keys — and each
    character learns which kinds of word begin at, run through or end at it.
    """

    def __init__(self, keys: npt.NDArray[np.uint64], classes: npt.NDArray[np.int8]) -> None:
        self.keys = np.asarray(keys, dtype=np.uint64)
        self.classes = np.asarray(classes, dtype=np.int8)
        self.index = KeyIndex(self.keys)

    @staticmethod
    def key(word: str) -> int:
        """The hash key of one word (the same as :func:`_poly_keys` computes in bulk)."""
        cps = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        return int(_poly_keys(cps, len(word))[0])

    @classmethod
    def from_words(cls, words: dict[str, int]) -> Lexicon:
        """From word → class (0–4); words outside 2–8 characters are ignored."""
        pairs = [(cls.key(w), c) for w, c in words.items() if 2 <= len(w) <= LEX_MAX_LEN]
        return cls(*_key_table(pairs, np.uint64))

    @classmethod
    def default(cls) -> Lexicon:
        """jieba's dict.txt, the project's user dictionary and its place and name lists."""
        from importlib import resources

        data = Path(str(resources.files("pipeline") / "data"))
        words: dict[str, int] = {}
        for path in _jieba_dictionaries():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if parts:
                    words[parts[0]] = _LEX_TAG.get(parts[2] if len(parts) > 2 else "", 0)
        for path in (data / "places.tsv", data / "gazetteer.tsv"):
            for line in path.read_text(encoding="utf-8").splitlines():
                text, _, label = line.partition("\t")
                if text.strip() and not line.startswith("#") and label.strip() in _LEX_LABEL:
                    words[text.strip()] = _LEX_LABEL[label.strip()]
        return cls.from_words(words)

    def matches(self, text: str, limit: IntArray | None = None) -> Matches:
        """(start, length, key position) of every dictionary word found in ``text``.

        ``limit`` (optional, per character): no word may run past it (the end of the
        character's own text when several texts are joined).
        """
        n = len(text)
        if n < 2 or not len(self.keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        # keys of every substring of 2..LEX_MAX_LEN code points, built incrementally with
        # the same arithmetic as _poly_keys, and looked up in one call
        keys, starts, lengths = [], [], []
        base = cps
        for length in range(2, min(LEX_MAX_LEN, n) + 1):
            base = base[:-1] * _P + cps[length - 1 :]
            keys.append(base * _P + np.uint64(length))
            starts.append(np.arange(len(base)))
            lengths.append(np.full(len(base), length))
        pos = self.index.find(np.concatenate(keys))
        found = pos >= 0
        start = np.concatenate(starts)
        size = np.concatenate(lengths)
        if limit is not None:
            found &= start + size <= limit[start]
        return start[found], size[found], pos[found]

    def bits(self, text: str, limit: IntArray | None = None) -> IntArray:
        """Per character, a LEX_BITS-bit mask: bit ``pos * LEX_CLASSES + class``.

        ``limit``: as in :meth:`matches`.
        """
        return self.bits_of(len(text), self.matches(text, limit))

    def bits_of(self, n: int, matches: Matches) -> IntArray:
        """:meth:`bits` of a text of ``n`` characters from its :meth:`matches`."""
        out = np.zeros(n, dtype=np.int64)
        start, size, pos = matches
        if not len(start):
            return out
        cls = self.classes[pos].astype(np.int64)
        np.bitwise_or.at(out, start, 1 << cls)  # B
        np.bitwise_or.at(out, start + size - 1, 1 << (2 * LEX_CLASSES + cls))  # E
        owner, at = inside(start, size)  # M
        if len(owner):
            np.bitwise_or.at(out, at, 1 << (LEX_CLASSES + cls[owner]))
        return out

    @staticmethod
    def expand(bits: IntArray) -> npt.NDArray[np.float32]:
        """(n,) masks → (n, LEX_BITS) 0/1 floats."""
        return ((bits[:, None] >> np.arange(LEX_BITS)) & 1).astype(np.float32)


# --------------------------------------------------------------- SoftLexicon vectors
#: A character's SoftLexicon word sets: the words that begin at it (B), run through it
#: (M) and end at it (E). The fourth set of the method, S (single-character words), is
#: always empty here: the lexicon holds words of 2-8 characters.
SOFTLEX_SETS = 3


class SoftLexicon:
    """Per character, the count-weighted average word vector of each of its B/M/E sets.

    SoftLexicon (Ma et al. 2020, "Simplify the Usage of Lexicon in Chinese NER"): of the
    dictionary words :class:`Lexicon` finds in a text, those that begin at, run through
    or end at a character make its three sets; each set becomes the average of its
    words' vectors weighted by the words' corpus counts (zeros when the set is empty),
    and the three averages are concatenated. Words are keyed by the lexicon's hashes (no
    word text); a lexicon word without a vector takes no part. ``vectors`` may be None
    (training, where the model averages its own projection of the vectors with the
    same :meth:`weights`).
    """

    def __init__(
        self,
        keys: npt.NDArray[Any],
        counts: npt.NDArray[Any],
        vectors: npt.NDArray[Any] | None,
        lexicon: Lexicon,
    ) -> None:
        self.keys = keys = np.asarray(keys, dtype=np.uint64)
        self.counts = np.asarray(counts, dtype=np.float32)
        self.vectors = None if vectors is None else np.asarray(vectors, dtype=np.float32)
        self.dim = 0 if self.vectors is None else int(self.vectors.shape[1])
        self.width = SOFTLEX_SETS * self.dim
        # the vector row of each lexicon key position (-1: no vector)
        self.rows = np.full(len(lexicon.keys), -1, dtype=np.int64)
        if len(lexicon.keys) and len(keys):
            pos = np.minimum(np.searchsorted(lexicon.keys, keys), len(lexicon.keys) - 1)
            hit = lexicon.keys[pos] == keys
            self.rows[pos[hit]] = np.flatnonzero(hit)

    @classmethod
    def from_words(
        cls, words: dict[str, tuple[npt.NDArray[Any], float]], lexicon: Lexicon
    ) -> SoftLexicon:
        """From word → (vector, corpus count); rows in sorted key order."""
        items = sorted((Lexicon.key(w), v, c) for w, (v, c) in words.items())
        keys = np.array([k for k, _, _ in items], dtype=np.uint64)
        counts = np.array([c for _, _, c in items], dtype=np.float32)
        vectors = np.stack([np.asarray(v, dtype=np.float32) for _, v, _ in items])
        return cls(keys, counts, vectors, lexicon)

    def weights(self, n: int, matches: Matches) -> tuple[IntArray, IntArray, FloatArray]:
        """The averages of a text of ``n`` characters as sparse terms (index, row, weight).

        Term ``t`` adds ``weight[t] * vector[row[t]]`` to set ``index[t] % 3`` (B, M, E)
        of character ``index[t] // 3``; the weights of one set sum to 1.
        """
        start, size, pos = matches
        row = self.rows[pos]
        keep = row >= 0
        start, size, row = start[keep], size[keep], row[keep]
        owner, at = inside(start, size)
        index = np.concatenate([start * 3, at * 3 + 1, (start + size - 1) * 3 + 2])
        rows = np.concatenate([row, row[owner], row])
        w = self.counts[rows]
        total = np.bincount(index, weights=w, minlength=SOFTLEX_SETS * n)
        return index, rows, (w / total[index]).astype(np.float32)

    @staticmethod
    def average(
        n: int, terms: tuple[IntArray, IntArray, FloatArray], table: npt.NDArray[Any]
    ) -> FloatArray:
        """(n, 3 x d) averages: the :meth:`weights` terms applied to a (rows, d) table."""
        index, rows, weight = terms
        d = int(table.shape[1])
        out = np.zeros((d, SOFTLEX_SETS * n), dtype=np.float32)
        if len(index):
            parts = (np.asarray(table[rows], dtype=np.float32) * weight[:, None]).T
            for j in range(d):  # one bincount per column: a vectorized scatter-add
                out[j] = np.bincount(index, weights=parts[j], minlength=SOFTLEX_SETS * n)
        return np.ascontiguousarray(out.T).reshape(n, SOFTLEX_SETS * d)

    def vectors_of(self, n: int, matches: Matches) -> FloatArray:
        """(n, :attr:`width`) SoftLexicon vectors of a text from its lexicon matches."""
        if self.vectors is None:
            return np.zeros((n, 0), dtype=np.float32)
        return self.average(n, self.weights(n, matches), self.vectors)
