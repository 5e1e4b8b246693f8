"""Label maps: every corpus's and peer tool's labels → the guide's PERSON/ORG/LOC/DATE.

One place for them (ANNOTATION.md; the corpora README asks for explicit mapping). A
label missing from a map is dropped by the readers.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.schema import LABELS

__all__ = [
    "BIO_LABEL_MAP",
    "CLUENER_LABEL_MAP",
    "LABELS",
    "NER_LABELS",
    "NER_LABEL_MAP",
    "PEER_LABEL_MAP",
    "map_label",
    "parse_label_map",
]

#: The labels of the statistical model (DATE comes from rules).
NER_LABELS: tuple[str, ...] = ("PERSON", "ORG", "LOC")

#: MSRA and Universal NER types: the three the model is trained on (and scored on).
NER_LABEL_MAP: dict[str, str] = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}

#: BIO tag types of gold files (MSRA, People's Daily, OntoNotes style): the default of
#: ``read_bio`` and ``pipeline eval --format bio``. People's Daily TIME is broader than
#: the guide's DATE (it includes vague times); scored against DATE it measures overlap.
BIO_LABEL_MAP: dict[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "NR": "PERSON",
    "ORG": "ORG",
    "NT": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "NS": "LOC",
    "TIME": "DATE",
    "DATE": "DATE",
    "T": "DATE",
}

#: CLUENER2020 fine-grained labels → the guide's labels, for evaluation and training
#: alike. Per ANNOTATION.md: government bodies, organizations and companies are ORG;
#: addresses and scenic spots (parks, mountains) are LOC; position (titles and roles),
#: book, movie and game (titles of works, products) get no label and are dropped.
CLUENER_LABEL_MAP: dict[str, str] = {
    "name": "PERSON",
    "organization": "ORG",
    "government": "ORG",
    "goverment": "ORG",  # the spelling of the original CLUENER README
    "company": "ORG",
    "address": "LOC",
    "scene": "LOC",
}

#: Peer systems of ``make bench``: LAC's types and jieba.posseg's name tags.
PEER_LABEL_MAP: dict[str, str] = {
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "nr": "PERSON",
    "ns": "LOC",
    "nt": "ORG",
}


def map_label(kind: str, label_map: Mapping[str, str]) -> str | None:
    """The guide's label of a source type (tried as written, then upper-cased), or None."""
    return label_map.get(kind, label_map.get(kind.upper()))


def parse_label_map(spec: str | None) -> dict[str, str] | None:
    """Parse ``"PER=PERSON,TIME=DATE"`` (``:`` works as well as ``=``)."""
    if not spec:
        return None
    mapping: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        key, sep, val = item.replace(":", "=").partition("=")
        if not sep or not key.strip() or val.strip() not in LABELS:
            raise ValueError(f"bad label map item {item!r}: use SOURCE=PERSON|ORG|LOC|DATE")
        mapping[key.strip()] = val.strip()
    return mapping
