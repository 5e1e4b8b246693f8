"""Make docs/report.png: a screenshot of the HTML report of data/raw's records.

Runs the bundled model over the raw articles (or reads an existing records file
with --records), writes the report, opens it in headless Chromium and saves the
top of the page as a PNG. Fails when the page logs a console error, asks for
anything but itself, or renders blank. ``make screenshot`` runs::

    .venv/bin/python scripts/screenshot.py --out docs/report.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.browser import find_chromium, ink_fraction, visit  # noqa: E402
from pipeline.schema import Record  # noqa: E402


def extract_records(raw: Path, model: str | None) -> Iterator[Record]:
    """Records of every raw article under ``raw`` (files that fail are skipped)."""
    from pipeline.errors import PipelineError
    from pipeline.runner import Extractor

    extractor = Extractor.load(model)
    for path in sorted(raw.rglob("*.txt")):
        try:
            yield extractor.extract_file(path)
        except PipelineError as e:
            print(f"skipped {e.source or path}: {e.code}: {e.message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw", help="raw articles")
    ap.add_argument("--records", type=Path, help="use this records JSONL instead of --raw")
    ap.add_argument("--model", help="model name or path (default: the bundled one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    ap.add_argument("--html", type=Path, help="also keep the report HTML here")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--max-height", type=int, default=2200, help="crop the page to this height")
    args = ap.parse_args(argv)

    if find_chromium() is None:
        print("Chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    from pipeline import read_records
    from pipeline.report import write_report

    records = read_records(args.records) if args.records else extract_records(args.raw, args.model)
    origin = args.records or args.raw
    try:
        source = str(origin.resolve().relative_to(ROOT))
    except ValueError:
        source = origin.name
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or Path(tmp) / "report.html"
        write_report(records, html, source=source)
        page = visit(html, width=args.width, height=900, max_height=args.max_height)
    problems = list(page.console_errors)
    problems += [f"request: {u}" for u in page.requests if u != page.url]
    ink = ink_fraction(page.png)
    if ink < 0.01:
        problems.append(f"blank screenshot ({ink:.1%} of pixels differ from the background)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(page.png)
    print(f"{args.out}: {page.width}x{page.height}, {ink:.0%} ink")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
