"""Mentions before and after a parser change, on the archive sample (docs/parse.md).

The old texts come from the parser of another checkout (``--old-root``, e.g. a
worktree of the previous commit), run in a subprocess so the two parsers never mix;
both texts then go through this checkout's extractor::

    .venv/bin/python scripts/parse_effect.py --old-root ../main [--shared ../shared]

Prints lines, characters, mentions (per label, per article), mentions on caption
lines, records with authors, and the old mentions that sat on lines now dropped.
"""

from __future__ import annotations

import argparse
import bisect
import json
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_OLD_TEXTS = """
import json, sys
from pathlib import Path
from pipeline.stages.parse import parse_file
print(json.dumps({p.stem: parse_file(p).text for p in sorted(Path(sys.argv[1]).glob("*.txt"))}))
"""


def old_texts(old_root: Path, raw_dir: Path) -> dict[str, str]:
    """``{id: text}`` as the parser of ``old_root`` makes them."""
    out = subprocess.run(
        [sys.executable, "-c", _OLD_TEXTS, str(raw_dir)],
        cwd=old_root,
        env={"PYTHONPATH": str(old_root), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    texts: dict[str, str] = json.loads(out.stdout)
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old-root", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    from pipeline.runner import Extractor
    from pipeline.stages.parse import body_blocks, parse_file, strip_footer

    raw_dir = args.shared / "examples" / "archive" / "raw"
    files = sorted(raw_dir.glob("*.txt"))
    old = old_texts(args.old_root.resolve(), raw_dir)
    new_articles = [parse_file(f) for f in files]
    old_articles = [
        a.model_copy(update={"text": old[a.id], "blocks": [], "authors": []}) for a in new_articles
    ]
    extractor = Extractor.load()
    old_records = list(extractor.pipe(old_articles))
    new_records = list(extractor.pipe(new_articles))
    for name, records in (("old", old_records), ("new", new_records)):
        per = [len(r.mentions) for r in records]
        labels = Counter(m.label for r in records for m in r.mentions)
        print(
            f"{name}: {len(records)} articles, {sum(r.text.count(chr(10)) + 1 for r in records)} "
            f"lines, {sum(len(r.text) for r in records)} chars, {sum(per)} mentions "
            f"(mean {statistics.mean(per):.1f}, median {statistics.median(per)}), {dict(labels)}"
        )
    captions = sum(1 for r in new_records for m in r.mentions if r.block_kind(m.start) == "caption")
    authors = [a for a in new_articles if a.authors]
    print(
        f"new: {captions} mentions on caption lines; {len(authors)} records with authors "
        f"({sum(len(a.authors) for a in authors)} names)"
    )
    dropped: Counter[tuple[str, str]] = Counter()
    aligned = 0
    for path, record in zip(files, old_records, strict=True):
        lines = path.read_text(encoding="utf-8").split("\n", 4)
        title = lines[1][1 : lines[1].rfind("](")]
        blocks = body_blocks(strip_footer(lines[4] if len(lines) > 4 else ""), title=title)
        text_lines = record.text.split("\n")
        if [b.text for b in blocks] != text_lines[1:]:
            continue
        aligned += 1
        starts = [0]
        for line in text_lines:
            starts.append(starts[-1] + len(line) + 1)
        for m in record.mentions:
            i = bisect.bisect_right(starts, m.start) - 1
            kind = "title" if i == 0 else blocks[i - 1].kind
            dropped[(kind, m.label)] += 1
    print(f"old mentions by the new kind of their line ({aligned} files whose lines align):")
    for (kind, label), n in sorted(dropped.items()):
        print(f"  {kind:10} {label:7} {n}")
    more = sum(
        1
        for o, n in zip(old_records, new_records, strict=True)
        if len(n.mentions) > len(o.mentions)
    )
    fewer = sum(
        1
        for o, n in zip(old_records, new_records, strict=True)
        if len(n.mentions) < len(o.mentions)
    )
    print(f"articles with more mentions: {more}, fewer: {fewer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
