"""Score the parser's line kinds against the hand-checked kinds of docs/parse_check.tsv.

The TSV holds, for every body line of the checked archive files, the kind a reader
gives it (no article text: file, line index, kind). This script parses the same files
from ``../shared/examples/archive/raw`` and prints, per set, the confusion counts and
each kind's precision and recall, and the two numbers issue 14 asks for: lines of
chrome, byline or timestamp left in ``text``, and paragraph or caption lines lost::

    .venv/bin/python scripts/parse_check.py [--shared ../shared] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ("paragraph", "caption", "byline", "timestamp", "chrome")
KEPT = ("paragraph", "caption")


def read_checked(path: Path) -> dict[str, dict[str, list[str]]]:
    """``{set: {file: [kind per line]}}`` from the TSV."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("set\t"):
            continue
        name, file, index, kind = line.split("\t")
        kinds = out[name].setdefault(file, [])
        if int(index) != len(kinds):
            raise ValueError(f"{path}: {file} line {index} out of order")
        kinds.append(kind)
    return out


def parser_kinds(raw: Path) -> list[str]:
    """The parser's kind for each body line of one raw file."""
    from pipeline.stages.parse import body_blocks, strip_footer

    lines = raw.read_text(encoding="utf-8").split("\n", 4)
    title = lines[1][1 : lines[1].rfind("](")]
    body = lines[4] if len(lines) > 4 else ""
    return [b.kind for b in body_blocks(strip_footer(body), title=title)]


def score(checked: dict[str, list[str]], raw_dir: Path) -> tuple[Counter[tuple[str, str]], int]:
    """Confusion counts ``(reader, parser)`` and the number of files whose lines differ."""
    confusion: Counter[tuple[str, str]] = Counter()
    misaligned = 0
    for file, reader in checked.items():
        parsed = parser_kinds(raw_dir / f"{file}.txt")
        if len(parsed) != len(reader):
            misaligned += 1
            continue
        confusion.update(zip(reader, parsed, strict=True))
    return confusion, misaligned


def table(name: str, files: int, confusion: Counter[tuple[str, str]], misaligned: int) -> str:
    """Markdown: confusion matrix, precision/recall per kind, the two summary counts."""
    total = sum(confusion.values())
    rows = [
        f"**{name}**: {files} files, {total} lines"
        + (f" ({misaligned} files skipped: line count changed)" if misaligned else ""),
        "",
        "| reader \\ parser | " + " | ".join(KINDS) + " | recall |",
        "| --- | " + " | ".join("---:" for _ in KINDS) + " | ---: |",
    ]
    for r in KINDS:
        n = sum(confusion[(r, p)] for p in KINDS)
        recall = f"{confusion[(r, r)] / n:.3f}" if n else "–"
        cells = " | ".join(str(confusion[(r, p)]) for p in KINDS)
        rows.append(f"| {r} ({n}) | {cells} | {recall} |")
    precisions = []
    for p in KINDS:
        n = sum(confusion[(r, p)] for r in KINDS)
        precisions.append(f"{confusion[(p, p)] / n:.3f}" if n else "–")
    rows.append("| precision | " + " | ".join(precisions) + " | |")
    left = sum(v for (r, p), v in confusion.items() if r not in KEPT and p in KEPT)
    lost = sum(v for (r, p), v in confusion.items() if r in KEPT and p not in KEPT)
    rows += [
        "",
        f"Chrome, byline or timestamp lines left in `text`: **{left}**; "
        f"paragraph or caption lines lost: **{lost}**.",
    ]
    return "\n".join(rows)


def by_outlet(checked: dict[str, dict[str, list[str]]]) -> str:
    """Markdown rows: per outlet, files, lines and the reader's count of each kind."""
    files: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for sets in checked.values():
        for file, reader in sets.items():
            outlet = file.split("-", 1)[0]
            files[outlet] += 1
            kinds[outlet].update(reader)
    rows = []
    for outlet in sorted(files):
        c = kinds[outlet]
        cells = " | ".join(str(c[k]) for k in KINDS)
        rows.append(f"| {outlet} | {files[outlet]} | {sum(c.values())} | {cells} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--checked", type=Path, default=ROOT / "docs" / "parse_check.tsv")
    ap.add_argument("--by-outlet", action="store_true", help="print the per-outlet counts")
    args = ap.parse_args(argv)
    if args.by_outlet:
        print(by_outlet(read_checked(args.checked)))
        return 0
    raw_dir = args.shared / "examples" / "archive" / "raw"
    if not raw_dir.is_dir():
        print(f"{raw_dir} not found", file=sys.stderr)
        return 2
    for name, files in read_checked(args.checked).items():
        confusion, misaligned = score(files, raw_dir)
        print(table(name, len(files), confusion, misaligned))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
