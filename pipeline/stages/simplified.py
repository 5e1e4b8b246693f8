"""Traditional → Simplified, one code point to one, so offsets never move.

Every stage reads Chinese through this *shadow* text: the tokenizer segments it, the
tagger and the rules match on it, and any offset in it is an offset in the original.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def opencc_pairs(name: str) -> list[tuple[str, str]]:
    """One-character to one-character pairs of an OpenCC dictionary file (first choice)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / name
    pairs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        src, _, dst = line.partition("\t")
        target = dst.split(" ")[0] if dst else ""
        if len(src) == 1 and len(target) == 1:
            pairs.append((src, target))
    return pairs


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Map each Traditional character to its Simplified form, one code point to one."""
    table = {ord(src): dst for src, dst in opencc_pairs("TSCharacters.txt") if src != dst}
    # Name separators in foreign names (安格拉•默克尔) read as the usual middle dot.
    for dot in "•‧・∙･":
        table[ord(dot)] = "·"
    return table


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified, keeping the length (offsets) intact."""
    return text.translate(_t2s_table())
