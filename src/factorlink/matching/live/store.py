"""Index snapshots on disk: written whole into a new folder, then published by one rename.

    <index_dir>/<kind>/CURRENT          name of the live generation
    <index_dir>/<kind>/LOCK             held while a generation is written (or read)
    <index_dir>/<kind>/gen-000007/      bm25/ (bm25s files), ids.npy, lengths.npy, digests.npy,
                                        vector_ids.npy, vectors.npy, manifest.json

A crash while writing leaves CURRENT on the previous, complete generation; the half-written folder
is removed on the next save. A snapshot records the change-log position it reflects
(`watermark`), so loading it and replaying the log from there gives the database's state.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt

from factorlink.matching.retrieval.dense import Vectors

FORMAT = 1
log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """Everything needed to restore one kind's index without reading the database."""

    watermark: int
    encoder: str
    ids: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    digests: npt.NDArray[np.int64]
    vector_ids: npt.NDArray[np.int64]
    vectors: Vectors
    model: bm25s.BM25 | None


def _current(folder: Path) -> Path | None:
    pointer = folder / "CURRENT"
    if not pointer.is_file():
        return None
    return folder / pointer.read_text(encoding="utf-8").strip()


@contextmanager
def _locked(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Holds the folder's lock: one writer at a time (processes or threads), and no generation
    removed while it is read. The kernel drops the lock of a process that dies."""
    with (folder / "LOCK").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield


def save(folder: Path, snapshot: Snapshot) -> Path:
    """Writes a new generation and makes it current atomically; older ones are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        return _save(folder, snapshot)


def _save(folder: Path, snapshot: Snapshot) -> Path:
    current = _current(folder)
    number = int(current.name.split("-")[1]) + 1 if current and current.name[4:].isdigit() else 1
    target = folder / f"gen-{number:06d}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    if snapshot.model is not None:
        snapshot.model.save(str(target / "bm25"), show_progress=False)
    for name in ("ids", "lengths", "digests", "vector_ids", "vectors"):
        np.save(target / f"{name}.npy", getattr(snapshot, name))
    manifest = {
        "format": FORMAT,
        "watermark": snapshot.watermark,
        "encoder": snapshot.encoder,
        "count": len(snapshot.ids),
        "vectors": len(snapshot.vector_ids),
    }
    _write_synced(target / "manifest.json", json.dumps(manifest))
    _write_synced(folder / "CURRENT.tmp", target.name)
    os.replace(folder / "CURRENT.tmp", folder / "CURRENT")
    for other in folder.glob("gen-*"):
        if other != target:
            shutil.rmtree(other, ignore_errors=True)
    return target


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def load(folder: Path) -> Snapshot | None:
    """The current snapshot, or None when there is none or it cannot be read whole."""
    if not folder.is_dir():
        return None
    with _locked(folder, shared=True):
        return _load(folder)


def _load(folder: Path) -> Snapshot | None:
    target = _current(folder)
    if target is None or not (target / "manifest.json").is_file():
        return None
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return None
        arrays = {
            name: np.load(target / f"{name}.npy")
            for name in ("ids", "lengths", "digests", "vector_ids", "vectors")
        }
        model = None
        if (target / "bm25").is_dir():
            model = bm25s.BM25.load(str(target / "bm25"), show_progress=False)
        # A generation whose bm25 folder is missing would load as an index that finds nothing.
        if len(arrays["ids"]) != manifest["count"] or (model is None) != (manifest["count"] == 0):
            raise ValueError("ids or bm25 model disagree with the manifest")
        if len(arrays["vector_ids"]) != manifest["vectors"]:
            raise ValueError("vectors disagree with the manifest")
    except (OSError, ValueError, KeyError) as exc:
        log.warning("index snapshot in %s unreadable (%s): rebuilding", target, exc)
        return None
    return Snapshot(
        watermark=int(manifest["watermark"]),
        encoder=str(manifest["encoder"]),
        model=model,
        **arrays,
    )
