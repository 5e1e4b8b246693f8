"""Annotation workflow for the in-domain store (data/annotations/), text kept outside the repo.

``prepare``: for the next articles of the train selection that the store lacks, write one
work file each into a work folder OUTSIDE the repository (it holds article text): the
numbered text with the model's mentions marked, and an editable list of mentions.
``prepare --split dev``: the same for the blind dev articles, WITHOUT any model output (the
numbered text with each line's start offset and an empty list of mentions), so that the
dev set is annotated by readers who saw no model output (``method: manual``).
``--ranks 1-20`` limits a run to a range of the split's ranks (one reader per range).
``commit``: turn the reviewed work files (``status: done``) into standoff records
(``--method manual`` for the dev set).

Mention lines: ``LABEL<TAB>surface[<TAB>value][<TAB>@start,@start...|*]``. ``*`` (or no
position) marks every occurrence of the surface that no other mention covers (longer
surfaces are placed first); ``@n`` an occurrence at offset n. A DATE needs its value.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.annotations.corpus import CorpusArticle, corpus_dir, fetch, opening
from pipeline.annotations.store import read_standoff, standoff_files, to_standoff, write_standoff
from pipeline.evaluate import GoldDoc, GoldMention, mention_problems
from pipeline.stages.zones import zone_for_url

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "data" / "annotations" / "news_train"
SELECTION = ROOT / "data" / "annotations" / "selection.jsonl"
LINE = re.compile(r"^(PERSON|ORG|LOC|DATE)\t([^\t]+)(?:\t([^\t@*]*))?(?:\t?(\*|@[0-9,@ ]+))?$")


def _done_ids(store: Path) -> set[str]:
    return {r.id for r in read_standoff(store)} if standoff_files(store) else set()


def _occurrences(text: str, surface: str) -> list[int]:
    found, at = [], text.find(surface)
    while at >= 0:
        found.append(at)
        at = text.find(surface, at + 1)
    return found


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for s, e, label in sorted(spans):
        out += [text[pos:s], f"【{text[s:e]}|{label}】"]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def prepare(args: argparse.Namespace) -> None:
    from pipeline import load

    directory = corpus_dir(args.shared)
    if directory is None:
        sys.exit("../shared/corpora/news_unlabeled is absent")
    work = Path(args.work)
    if work.resolve().is_relative_to(ROOT):
        sys.exit("the work folder holds article text: put it outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    done = _done_ids(STORE) | {p.stem.split("_", 1)[1] for p in work.glob("*.txt")}
    rows = [json.loads(line) for line in SELECTION.read_text(encoding="utf-8").splitlines()]
    low, _, high = (args.ranks or "1-100000").partition("-")
    todo = [
        r
        for r in rows
        if r["split"] == args.split
        and r["id"] not in done
        and int(low) <= r["rank"] <= int(high or low)
    ][: args.n if args.n is not None else (None if args.ranks else 10)]
    texts = fetch(directory, (r["id"] for r in todo))
    if args.split == "dev":
        for r in todo:
            _prepare_manual(work, r, texts[r["id"]])
        return
    nlp = load()
    for r in todo:
        art = texts[r["id"]]
        text = opening(art.text)
        rec = nlp.extract(text, published=art.published, url=f"https://{art.outlet}/")
        assert rec.text == text, "the pipeline changed the text"
        groups: dict[tuple[str, str, str], list[int]] = {}
        for m in rec.mentions:
            groups.setdefault((m.label, m.text, m.value or ""), []).append(m.start)
        spans = [(m.start, m.end) for m in rec.mentions]
        lines = []
        for (label, surface, value), starts in groups.items():
            free = [
                at
                for at in _occurrences(text, surface)
                if at in starts or not any(s < at + len(surface) and at < e for s, e in spans)
            ]
            where = "*" if free == starts else ",".join(f"@{s}" for s in starts)
            lines.append(f"{label}\t{surface}\t{value}\t{where}")
        marked = _marked(text, [(m.start, m.end, m.label) for m in rec.mentions])
        local = rec.published.astimezone(ZoneInfo(rec.timezone)) if rec.published else None
        head = [
            "status: todo",
            f"# id {art.id} outlet {art.outlet} published {art.published.isoformat()}"
            f" local {local:%Y-%m-%d %a %H:%M} {rec.timezone}"
            if local
            else "",
            "# ---- text with the model's mentions ----",
            *(f"# {n:2}| {line}" for n, line in enumerate(marked.split("\n"), 1)),
            "# ---- mentions: LABEL<TAB>surface<TAB>value<TAB>* | @start,... ----",
        ]
        (work / f"{r['rank']:03d}_{art.id}.raw").write_text(text, encoding="utf-8")
        (work / f"{r['rank']:03d}_{art.id}.txt").write_text(
            "\n".join([*head, *lines]) + "\n", encoding="utf-8"
        )
        print(f"{r['rank']:03d} {art.id} {art.outlet} {len(text)} chars")


def _prepare_manual(work: Path, row: dict[str, object], art: CorpusArticle) -> None:
    """Write a dev work file: numbered text with line offsets, no model output at all."""
    text = opening(art.text)
    starts, at = [], 0
    for line in text.split("\n"):
        starts.append(at)
        at += len(line) + 1
    zone = zone_for_url(f"https://{art.outlet}/")
    local = art.published.astimezone(ZoneInfo(zone))
    head = [
        "status: todo",
        f"# id {art.id} outlet {art.outlet} published {art.published.isoformat()}"
        f" local {local:%Y-%m-%d %a %H:%M} {zone} -- blind dev article: annotate from the guide alone",
        "# ---- text: line number | offset of the line's first character | line ----",
        *(
            f"# {n:2}|{s:5}| {line}"
            for n, (s, line) in enumerate(zip(starts, text.split("\n"), strict=True), 1)
        ),
        "# ---- mentions: LABEL<TAB>surface<TAB>value<TAB>* | @start,... ----",
    ]
    name = f"{row['rank']:03d}_{art.id}"
    (work / f"{name}.raw").write_text(text, encoding="utf-8")
    (work / f"{name}.txt").write_text("\n".join(head) + "\n", encoding="utf-8")
    print(f"{name} {art.outlet} {len(text)} chars (no model output)")


def _resolve(text: str, lines: list[str], name: str) -> list[GoldMention]:
    placed: list[tuple[int, int, str, str | None]] = []
    pending: list[tuple[str, str, str | None]] = []

    def free(s: int, e: int) -> bool:
        return not any(ps < e and s < pe for ps, pe, _, _ in placed)

    for line in lines:
        m = LINE.match(line)
        if m is None:
            sys.exit(f"{name}: cannot read {line!r}")
        label, surface, value, where = m[1], m[2], (m[3] or "").strip() or None, m[4]
        if where and where.startswith("@"):
            for s in (int(x) for x in re.findall(r"@(\d+)", where)):
                if text[s : s + len(surface)] != surface:
                    sys.exit(f"{name}: {surface!r} is not at {s}")
                placed.append((s, s + len(surface), label, value))
        else:
            pending.append((label, surface, value))
    for label, surface, value in sorted(pending, key=lambda p: -len(p[1])):
        at, n = text.find(surface), 0
        while at >= 0:
            if free(at, at + len(surface)):
                placed.append((at, at + len(surface), label, value))
                n += 1
            at = text.find(surface, at + 1)
        if n == 0:  # every occurrence is inside a longer mention: nothing to add
            print(f"{name}: note: {surface!r} has no free occurrence")
    return [
        GoldMention(start=s, end=e, label=label, text=text[s:e], value=v)  # type: ignore[arg-type]
        for s, e, label, v in sorted(placed)
    ]


def commit(args: argparse.Namespace) -> None:
    directory = corpus_dir(args.shared)
    if directory is None:
        sys.exit("../shared/corpora/news_unlabeled is absent")
    files = sorted(p for p in Path(args.work).glob("*.txt"))
    ready = [p for p in files if p.read_text(encoding="utf-8").startswith("status: done")]
    ids = [p.stem.split("_", 1)[1] for p in ready]
    texts = fetch(directory, ids)
    out = Path(args.out)
    existing = {r.id: r for r in read_standoff(out)} if out.exists() else {}
    bad = False
    for path, doc_id in zip(ready, ids, strict=True):
        art = texts[doc_id]
        text = opening(art.text)
        body = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()[1:]
            if line.strip() and not line.startswith("#")
        ]
        doc = GoldDoc(
            id=doc_id, text=text, published=art.published, mentions=_resolve(text, body, path.name)
        )
        problems = list(mention_problems(doc, text))
        if problems:
            bad = True
            print(f"{path.name}: " + "; ".join(problems))
            continue
        existing[doc_id] = to_standoff(doc, outlet=art.outlet, method=args.method)
    write_standoff(out, existing.values())
    print(f"{len(existing)} articles in {out}")
    if bad:
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--work", required=True)
    p.add_argument(
        "--n",
        type=int,
        default=None,
        help="at most N articles (default: the whole --ranks range, else 10)",
    )
    p.add_argument("--split", choices=("train", "dev"), default="train")
    p.add_argument("--ranks", help="a range of ranks of the split, as 1-20")
    c = sub.add_parser("commit")
    c.add_argument("--work", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--method", choices=("reviewed", "manual"), default="reviewed")
    args = ap.parse_args()
    prepare(args) if args.cmd == "prepare" else commit(args)


if __name__ == "__main__":
    main()
