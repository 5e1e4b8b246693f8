"""Seeded, stratified choice of the news_unlabeled articles to annotate.

Strata are outlet x script. Each outlet has a quota per split (train, dev); an outlet's
quota is shared between its scripts in proportion to its articles, with at least one
article for a script that holds 5% or more of the outlet. Candidates are article
openings of at least ``MIN_CHARS`` characters whose id is not in the blind dev set
(news_gold). Dev is drawn first, train from the rest, so the two never share an
article. Within a split the order interleaves outlets by quota, so that any prefix of
the train list (the articles annotated so far) is spread over outlets as the whole is.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.annotations.corpus import Script, corpus_dir, gold_ids, iter_corpus, opening
from pipeline.annotations.corpus import script_of as _script_of
from pipeline.errors import AnnotationError

Split = Literal["train", "dev"]
#: The committed selection (``make select-articles`` writes it).
SELECTION_FILE = Path(__file__).resolve().parents[2] / "data" / "annotations" / "selection.jsonl"
SEED = 12
MIN_CHARS = 200
MIN_SCRIPT_SHARE = 0.05
#: Rounds of the train quotas: each round draws the same quotas again from what earlier
#: rounds left, after them in the train order, so adding a round never changes the
#: articles or ranks already chosen (round 1: train ranks 1-200; round 2: 201-400; round 3: 401-600).
TRAIN_ROUNDS = 3

#: Articles per outlet: the outlets the issue names first get most of them.
QUOTAS: dict[Split, dict[str, int]] = {
    "train": {
        "www.rfi.fr": 18,
        "www.voachinese.com": 18,
        "www.dw.com": 18,
        "www.bbc.com": 18,
        "www.cna.com.tw": 18,
        "www.zaobao.com": 18,
        "cn.reuters.com": 18,
        "cn.nytimes.com": 18,
        "www.rfa.org": 18,
        "www.epochtimes.com": 10,
        "chinadigitaltimes.net": 9,
        "www.rti.org.tw": 8,
        "wqw2010.blogspot.com": 6,
        "www.solidot.org": 5,
    },
    "dev": {
        "www.rfi.fr": 4,
        "www.voachinese.com": 4,
        "www.dw.com": 4,
        "www.bbc.com": 4,
        "www.cna.com.tw": 4,
        "www.zaobao.com": 4,
        "cn.reuters.com": 4,
        "cn.nytimes.com": 4,
        "www.rfa.org": 4,
        "www.epochtimes.com": 1,
        "chinadigitaltimes.net": 1,
        "www.rti.org.tw": 1,
        "wqw2010.blogspot.com": 1,
    },
}


class Selected(BaseModel):
    """One chosen article: its place in its split's order, id, outlet and script."""

    model_config = ConfigDict(extra="forbid")

    split: Split
    rank: int
    id: str
    outlet: str
    script: Script


def selected_ids(split: Split | None = None, path: Path = SELECTION_FILE) -> set[str]:
    """The ids of the selection's articles (of one split, or all); none without the file."""
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = (Selected.model_validate_json(line) for line in lines if line.strip())
    return {r.id for r in rows if split is None or r.split == split}


def _script_quotas(total: int, counts: dict[Script, int]) -> dict[Script, int]:
    n = sum(counts.values())
    shares = {s: c / n for s, c in counts.items() if c / n >= MIN_SCRIPT_SHARE}
    quotas = {s: max(1, round(total * share)) for s, share in shares.items()}
    major = max(quotas, key=lambda s: counts[s])
    quotas[major] = total - sum(q for s, q in quotas.items() if s != major)
    return quotas


def _interleave(per_outlet: dict[str, list[Selected]], order: list[str]) -> list[Selected]:
    keyed = [
        ((k + 0.5) / len(items), order.index(outlet), item)
        for outlet, items in per_outlet.items()
        for k, item in enumerate(items)
    ]
    return [item for _, _, item in sorted(keyed, key=lambda t: (t[0], t[1]))]


def select(
    shared: str | Path,
    *,
    seed: int = SEED,
    quotas: dict[Split, dict[str, int]] | None = None,
    train_rounds: int = TRAIN_ROUNDS,
    exclude: Collection[str] = (),
) -> list[Selected]:
    """The articles to annotate, dev first then train, each split in annotation order.

    The train split is drawn ``train_rounds`` times with its quotas; a later round only
    appends ranks (see ``TRAIN_ROUNDS``). ``exclude`` holds ids kept out of every draw
    (other evaluation samples drawn after earlier rounds); they are taken out of the
    shuffled pools, so the order of the other candidates and the earlier rounds, which
    held none of them, stay the same.
    """
    quotas = quotas or QUOTAS
    directory = corpus_dir(shared)
    if directory is None:
        raise AnnotationError(f"{Path(shared) / 'corpora' / 'news_unlabeled'} is absent")
    blind = gold_ids(shared)
    wanted = {o for q in quotas.values() for o in q}
    strata: dict[tuple[str, Script], list[str]] = defaultdict(list)
    for art in iter_corpus(directory):
        if art.outlet not in wanted or art.id in blind:
            continue
        text = opening(art.text)
        if len(text) >= MIN_CHARS:
            strata[(art.outlet, _script_of(text))].append(art.id)
    rng = random.Random(seed)
    excluded = frozenset(exclude)
    pools = {
        key: [i for i in rng.sample(sorted(ids), len(ids)) if i not in excluded]
        for key, ids in sorted(strata.items())
    }
    chosen: list[Selected] = []
    train: list[Split] = ["train"]
    rounds: list[Split] = ["dev", *(train * train_rounds)]
    for split in rounds:
        per_outlet: dict[str, list[Selected]] = {}
        for outlet, total in quotas[split].items():
            counts = {s: len(pools[(o, s)]) for (o, s) in pools if o == outlet and pools[(o, s)]}
            if not counts:
                raise AnnotationError(f"no candidate article from {outlet}")
            items: list[Selected] = []
            for script, quota in sorted(_script_quotas(total, counts).items()):
                pool = pools[(outlet, script)]
                if len(pool) < quota:
                    raise AnnotationError(
                        f"{outlet} ({script}): {len(pool)} candidates, {quota} wanted"
                    )
                items += [
                    Selected(split=split, rank=0, id=i, outlet=outlet, script=script)
                    for i in pool[:quota]
                ]
                del pool[:quota]
            rng.shuffle(items)
            per_outlet[outlet] = items
        ordered = _interleave(per_outlet, list(quotas[split]))
        first = 1 + sum(1 for c in chosen if c.split == split)
        chosen += [s.model_copy(update={"rank": r}) for r, s in enumerate(ordered, first)]
    return chosen
