"""Writes the sample's passage vectors (src/factorlink/sample/data/passage_vectors.bin).

Loads the sample into a temporary database, collects every passage the match indexes encode
(`factorlink.sample.vectors.sample_passages`), keeps the vectors the current file already has
for those texts and encodes the rest (all of them with --fresh), then writes the file with
exactly the current passages. Run it from the repository root after changing the sample or how
a factor's passage is composed (`matching/documents.py`); `tests/sample/test_vectors.py` fails
until it is run:

    .venv/bin/python scripts/sample_vectors.py [--threads 2] [--fresh] [--dtype float16|int8]
    .venv/bin/python scripts/sample_vectors.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from factorlink.cli.context import SYSTEM_VIEWER
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.matching.live.encoders import encoder_identity, get_encoder
from factorlink.matching.live.vectorstore import text_key
from factorlink.sample import vectors as shipped_vectors
from factorlink.sample.loader import DATA_DIR, load_sample

BATCH = 16


def passages(data_dir: Path) -> list[str]:
    """The sample's passages, from a temporary database it is loaded into."""
    with tempfile.TemporaryDirectory(prefix="factorlink-sample-") as tmp:
        database = Database(Settings(data_dir=Path(tmp), matching_encoder="none"))
        try:
            with database.unit_of_work() as session:
                load_sample(session, SYSTEM_VIEWER, data_dir)
            with database.unit_of_work() as session:
                return shipped_vectors.sample_passages(session)
        finally:
            database.dispose()


def main(argv: list[str] | None = None) -> int:
    """Parses the options, then checks or writes the file."""
    parser = argparse.ArgumentParser(description="Write the sample's passage vectors.")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the sample folder")
    parser.add_argument("--threads", type=int, default=2, help="encoder threads")
    parser.add_argument("--fresh", action="store_true", help="encode every passage again")
    parser.add_argument("--dtype", choices=shipped_vectors.DTYPES, default="float16")
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    identity = encoder_identity("e5")
    assert identity is not None
    name, model = identity
    path = args.data / shipped_vectors.FILE_NAME
    started = time.perf_counter()
    texts = passages(args.data)
    old = shipped_vectors.read(path) if path.is_file() else None
    usable = old is not None and (old.encoder, old.model, old.dtype) == (*identity, args.dtype)
    usable = usable and not args.fresh
    have = dict(zip(old.keys, old.vectors, strict=True)) if old is not None and usable else {}
    keys = [text_key(name, t) for t in texts]
    todo = [n for n, k in enumerate(keys) if k not in have]
    if args.check:
        stale = len(old.keys) - (len(keys) - len(todo)) if old is not None and usable else 0
        print(f"{len(texts)} passages, {len(todo)} without a vector, {stale} unused in {path}")
        return 1 if todo or stale or not usable else 0
    encoder = get_encoder("e5", 1, args.threads)
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for n, key in enumerate(keys):
        if key in have:
            out[n] = have[key]
    for start in range(0, len(todo), BATCH):
        rows = todo[start : start + BATCH]
        out[rows] = encoder.passages([texts[n] for n in rows])
        print(f"\rencoded {start + len(rows)}/{len(todo)}", end="", flush=True)
    if todo:
        print()
    shipped_vectors.write(path, name, model, keys, out, args.dtype)
    seconds = time.perf_counter() - started
    print(
        f"{len(texts)} passages ({len(texts) - len(todo)} kept, {len(todo)} encoded) "
        f"→ {path} ({path.stat().st_size / 1024:.0f} KiB, {args.dtype}, {model}) "
        f"in {seconds:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
