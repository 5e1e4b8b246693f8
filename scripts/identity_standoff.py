"""Turn a plain identity gold (group, label, form) into the standoff file the repository keeps.

Annotators group surface forms in a working file kept OUTSIDE the repository (the
forms are text drawn from the articles). This script finds each form among the
mentions of the records it was read from and writes the rows the repository stores:
record id, SHA-256 of the form (truncated), label, group. The ``# ...`` lines of
``--header`` are copied to the top of the output.

    python scripts/identity_standoff.py --records RECORDS.jsonl --forms FORMS.tsv \\
        --out tests/fixtures/identity/gold.tsv --header NOTE.txt
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline import read_records
from pipeline.identity import GOLD_COLUMNS, GoldForm, resolve_gold, standoff_rows
from pipeline.schema import LABELS


def read_forms(path: Path) -> list[GoldForm]:
    """Read the working file: a ``group<TAB>label<TAB>form`` header, then one form a line."""
    rows = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not rows or rows[0].split("\t") != ["group", "label", "form"]:
        raise SystemExit(f"{path}: expected a header line 'group<TAB>label<TAB>form'")
    out: list[GoldForm] = []
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(rows[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in LABELS or not parts[0] or not parts[2]:
            raise SystemExit(f"{path}: bad line {number}: {line!r}")
        if (parts[1], parts[2]) in seen:
            raise SystemExit(f"{path}: form listed twice on line {number}")
        seen.add((parts[1], parts[2]))
        out.append(GoldForm(group=parts[0], label=parts[1], form=parts[2]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True, nargs="+")
    parser.add_argument("--forms", type=Path, required=True, help="group, label, form (private).")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--header", type=Path, help="Comment lines to put on top.")
    args = parser.parse_args()
    records = [r for path in args.records for r in read_records(path)]
    gold = read_forms(args.forms)
    refs = standoff_rows(gold, records)
    assert resolve_gold(refs, records) == gold  # the hashes rebuild the same forms
    lines = []
    if args.header is not None:
        lines += [
            line if line.startswith("#") else f"# {line}".rstrip()
            for line in args.header.read_text(encoding="utf-8").splitlines()
        ]
    lines.append("\t".join(GOLD_COLUMNS))
    lines += [f"{r.doc}\t{r.digest}\t{r.label}\t{r.group}" for r in refs]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
