"""Definitions in the text: 简称 / 下称 / bracketed short and Latin forms (team-written cases)."""

from __future__ import annotations

from pipeline.stages.definitions import Definition, definitions, is_abbreviation, spells
from pipeline.stages.link import Span


def _spans(text: str, items: list[tuple[str, str]]) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for surface, label in items:
        start = text.index(surface, pos)
        out.append(Span(start, start + len(surface), label, surface))  # type: ignore[arg-type]
        pos = start + len(surface)
    return out


def _pairs(text: str, items: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(d.long, d.short, d.kind) for d in definitions(text, _spans(text, items))]


def test_cue_words_in_brackets() -> None:
    assert _pairs("青年环保联合会（下称青环联）周一表示", [("青年环保联合会", "ORG")]) == [
        ("青年环保联合会", "青环联", "cue")
    ]
    assert _pairs("東方航運協會（以下簡稱「東航協」）", [("東方航運協會", "ORG")]) == [
        ("東方航運協會", "東航協", "cue")
    ]
    # The cue as an item of its own, then the name (a person's Latin name).
    assert _pairs("刘小梅（音译，Liu Xiaomei）说", [("刘小梅", "PERSON")]) == [
        ("刘小梅", "Liu Xiaomei", "cue")
    ]


def test_cue_outside_brackets_stops_where_the_abbreviation_ends() -> None:
    assert _pairs("山城自行车促进会，简称山自会的会长", [("山城自行车促进会", "ORG")]) == [
        ("山城自行车促进会", "山自会", "cue")
    ]
    assert _pairs("山城自行车促进会，简称“车会”。", [("山城自行车促进会", "ORG")]) == [
        ("山城自行车促进会", "车会", "cue")
    ]


def test_bracketed_forms_without_cue() -> None:
    # A Chinese form in brackets is a definition only when it abbreviates the name.
    assert _pairs("青年环保联合会（青环联）", [("青年环保联合会", "ORG")]) == [
        ("青年环保联合会", "青环联", "abbreviation")
    ]
    assert _pairs("北京（中国）", [("北京", "LOC")]) == []
    # A Latin name after a Chinese one; an acronym is kept apart (checked by the batch).
    assert _pairs("“山城快报”(Mountain Express)称", [("山城快报", "ORG")]) == [
        ("山城快报", "Mountain Express", "latin")
    ]
    assert _pairs("山城快报（MEX）称", [("山城快报", "ORG")]) == [("山城快报", "MEX", "acronym")]
    # Not a name, or a second item without a cue: nothing.
    assert (
        _pairs(
            "山城快报（2019年）、青年联合会（周刊，Youth Weekly）",
            [("山城快报", "ORG"), ("青年联合会", "ORG")],
        )
        == []
    )


def test_mention_index_and_dates_ignored() -> None:
    text = "2020年，青年环保联合会（下称青环联）"
    spans = _spans(text, [("2020年", "DATE"), ("青年环保联合会", "ORG")])
    assert definitions(text, spans) == [Definition("ORG", "青年环保联合会", "青环联", "cue", 1)]


def test_spells_and_abbreviation() -> None:
    assert spells("MEX", "Mountain Express X")
    assert spells("AFPP", "Association for Free Press Publishers")
    assert spells("AAFPP", "Association for Free Press Publishers") is False
    assert spells("AFPP", "Association for the Free Press Publishers")
    assert not spells("ME", "Mountain")
    assert is_abbreviation("青环联", "青年环保联合会") and not is_abbreviation(
        "联青", "青年环保联合会"
    )
