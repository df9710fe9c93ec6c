"""Writes FactorLink's sample data set (src/factorlink/sample/data/*.jsonl).

Deterministic: the same vocabulary gives byte-identical files. Run from the repository root:

    .venv/bin/python scripts/make_sample.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "factorlink" / "sample" / "data"


def main(argv: list[str] | None = None) -> int:
    """Parses the options, builds the set and writes it."""
    parser = argparse.ArgumentParser(description="Write the FactorLink sample data set.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sample.build import build, write

    files = build()
    write(files, args.out)
    for name, rows in files.items():
        print(f"{len(rows):4d}  {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
