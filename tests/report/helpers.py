"""Records built by hand for the rendering, frame and report tests (no model needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.schema import Entity, Mention, PipelineInfo, Record

INFO = PipelineInfo(version="0.1.0", model="test", model_version="0.0.1")

# (surface, label, value): located in the text left to right, one after the other.
Spec = tuple[str, str, str | None]


def make_record(
    id: str,
    title: str,
    body: str,
    spans: list[Spec],
    *,
    published: str | None = "2022-01-05T20:45:01Z",
    url: str | None = "https://www.voachinese.com/a/example.html",
    aliases: dict[str, list[str]] | None = None,
) -> Record:
    """A valid record: mentions found in order, entities grouped by (label, name or alias).

    ``aliases`` maps a canonical name to other surface forms that belong to it.
    """
    text = f"{title}\n{body}"
    alias_of = {a: name for name, forms in (aliases or {}).items() for a in forms}
    groups: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    mentions: list[Mention] = []
    pos = 0
    for surface, label, value in spans:
        start = text.index(surface, pos)
        end = start + len(surface)
        pos = end
        name = alias_of.get(surface, surface)
        key = (label, value or name) if label == "DATE" else (label, name)
        if key not in index:
            index[key] = len(groups)
            groups.append({"label": label, "name": name, "aliases": [], "count": 0, "value": value})
        group = groups[index[key]]
        group["count"] += 1
        if surface != group["name"] and surface not in group["aliases"]:
            group["aliases"].append(surface)
        mentions.append(
            Mention.model_validate(
                {
                    "text": surface,
                    "label": label,
                    "start": start,
                    "end": end,
                    "value": value,
                    "entity": index[key],
                }
            )
        )
    entities = [Entity.model_validate(g) for g in groups]
    return Record(
        id=id,
        source=f"data/raw/{id}.txt",
        title=title,
        url=url,
        published=dt.datetime.fromisoformat(published) if published else None,
        timezone="Asia/Shanghai",
        text=text,
        mentions=mentions,
        entities=entities,
        pipeline=INFO,
    )


def seed_record() -> Record:
    """A short version of the seed article (VOA, January 2022)."""
    return make_record(
        "000_seed",
        "新年新气象 : 美日外长防长会将登场 台湾全民防卫动员署挂牌",
        "美国国防部长奥斯汀周四在华盛顿表示，美日外长防长会将于2022年1月6日登场。"
        "参议员达克沃斯（Tammy Duckworth）去年11月访问台湾。共同社报道，日本外务省"
        "官员说，达克沃斯将再次访问东京。",
        [
            ("台湾", "LOC", None),
            ("全民防卫动员署", "ORG", None),
            ("美国", "LOC", None),
            ("奥斯汀", "PERSON", None),
            ("周四", "DATE", "2022-01-06"),
            ("华盛顿", "LOC", None),
            ("2022年1月6日", "DATE", "2022-01-06"),
            ("达克沃斯", "PERSON", None),
            ("Tammy Duckworth", "PERSON", None),
            ("去年11月", "DATE", "2021-11"),
            ("台湾", "LOC", None),
            ("共同社", "ORG", None),
            ("日本外务省", "ORG", None),
            ("达克沃斯", "PERSON", None),
            ("东京", "LOC", None),
        ],
        aliases={"达克沃斯": ["Tammy Duckworth"]},
    )


def batch() -> list[Record]:
    """Four articles from three outlets with overlapping people and organizations."""
    return [
        seed_record(),
        make_record(
            "101_taipei",
            "蔡英文会见美国议员",
            "蔡英文周三在台北会见达克沃斯，美国国务院表示欢迎。2021年12月，蔡英文曾说台湾不会屈服。",
            [
                ("蔡英文", "PERSON", None),
                ("美国", "LOC", None),
                ("蔡英文", "PERSON", None),
                ("周三", "DATE", "2022-01-05"),
                ("台北", "LOC", None),
                ("达克沃斯", "PERSON", None),
                ("美国国务院", "ORG", None),
                ("2021年12月", "DATE", "2021-12"),
                ("蔡英文", "PERSON", None),
                ("台湾", "LOC", None),
            ],
            published="2022-01-05T08:00:00Z",
            url="https://www.cna.com.tw/news/1.aspx",
        ),
        make_record(
            "102_beijing",
            "外交部回应美日2+2会谈",
            "外交部发言人汪文斌今年1月6日表示，美国国务院和日本外务省不应干涉中国内政。",
            [
                ("外交部", "ORG", None),
                ("汪文斌", "PERSON", None),
                ("今年1月6日", "DATE", "2022-01-06"),
                ("美国国务院", "ORG", None),
                ("日本外务省", "ORG", None),
                ("中国", "LOC", None),
            ],
            published="2022-01-06T09:30:00Z",
            url="https://www.zaobao.com.sg/news/2.html",
        ),
        make_record(
            "103_tokyo",
            "<b>岸田文雄</b> & 拜登通话",
            "日本首相岸田文雄与美国总统拜登2022年1月21日通话，日本外务省随后发表声明。今年春天双方将会面。",
            [
                ("岸田文雄", "PERSON", None),
                ("拜登", "PERSON", None),
                ("日本", "LOC", None),
                ("岸田文雄", "PERSON", None),
                ("美国", "LOC", None),
                ("拜登", "PERSON", None),
                ("2022年1月21日", "DATE", "2022-01-21"),
                ("日本外务省", "ORG", None),
                ("今年春天", "DATE", "2022-SP"),
            ],
            published=None,
            url=None,
        ),
    ]
