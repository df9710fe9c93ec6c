"""`factorlink bench`: index build, encoding, memory and query latency at growing corpus sizes.

Corpora are made from the CSL records in ../shared/data/csl (or FACTORLINK_BENCH_DATA): each
factor is a real paper title followed by one or two sentences drawn from real abstracts, so texts
vary like listings do. Encoding a million passages would take this machine days, so passage
vectors are derived from real embeddings: every abstract is encoded once (kept in the vector
store), and a factor's vector is a random convex mix of two or three of them plus a little noise,
normalised. That keeps the clustered geometry of real embeddings that ANN recall depends on;
random vectors would not. Encoding throughput is measured on real passages. Query latency includes
encoding each query (the query cache is cleared between methods).
"""

from __future__ import annotations

import gc
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from factorlink.config import get_settings
from factorlink.matching.live.encoders import E5Encoder, get_encoder
from factorlink.matching.live.milvus import MilvusIndex, connect, disconnect
from factorlink.matching.live.vectorstore import open_vector_store
from factorlink.matching.retrieval.backend import SearchBackend
from factorlink.matching.retrieval.dense import DenseIndex, Vectors
from factorlink.matching.retrieval.engine import Method, TextIndex

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "csl"
_SENTENCE = re.compile(r"[^。；;!?！？]+[。；;!?！？]?")
ENCODE_SAMPLE = 64


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _load(folder: Path) -> tuple[list[str], list[str], list[str]]:
    corpus = [json.loads(line) for line in (folder / "keywords" / "corpus.jsonl").open()]
    abstracts = [row["text"] for row in corpus]
    titles = [
        line.split("\t")[0] for line in (folder / "raw" / "titles-categories-train.tsv").open()
    ]
    queries = [json.loads(line)["text"] for line in (folder / "titles" / "queries.jsonl").open()]
    return abstracts, titles[1:] if titles and titles[0] == "title" else titles, queries


def _corpus(
    size: int, abstracts: list[str], titles: list[str], base: Vectors, seed: int = 7
) -> tuple[list[list[tuple[str, int]]], Vectors]:
    rng = random.Random(seed)
    sentences = [[s for s in _SENTENCE.findall(a) if len(s) > 8] or [a] for a in abstracts]
    documents = []
    mix = np.random.default_rng(seed)
    sources = mix.integers(0, len(abstracts), size=(size, 3))
    weights = mix.dirichlet([2.0, 1.0, 0.5], size=size).astype(np.float32)
    for n in range(size):
        first = sentences[int(sources[n, 0])]
        body = rng.choice(first)
        if rng.random() < 0.5:
            body += rng.choice(sentences[int(sources[n, 1])])
        documents.append([(rng.choice(titles), 2), (body, 1)])
    vectors = np.einsum("nk,nkd->nd", weights, base[sources])
    vectors += mix.normal(0, 0.01, size=vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return documents, vectors.astype(np.float32)


def _latency(
    index: SearchBackend, encoder: E5Encoder, queries: Sequence[str], method: Method
) -> tuple[float, float]:
    encoder._cache.clear()
    times = []
    for query in queries:
        start = time.perf_counter()
        index.search(query, 10, method)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _ann_recall(dense: DenseIndex, queries: Vectors) -> float:
    hits = 0
    for query in queries:
        approx, _ = dense.search(query, 10)
        exact, _ = dense.search(query, 10, exact=True)
        hits += len(set(approx.tolist()) & set(exact.tolist()))
    return hits / (10 * len(queries))


def _build_milvus(
    folder: Path, encoder: E5Encoder, documents: list[list[tuple[str, int]]], vectors: Vectors
) -> tuple[MilvusIndex, float]:
    """The corpus in a Milvus Lite collection (in this process): the index and its build time
    (upserts and the flush that makes them durable)."""
    client = connect(str(folder / "bench.db"))
    index = MilvusIndex(client, "bench", encoder)
    start = time.perf_counter()
    index.build(list(range(len(documents))), documents, vectors)
    return index, time.perf_counter() - start


def run_bench(
    sizes: Sequence[int],
    query_count: int,
    console: Console,
    backends: Sequence[str] = ("local",),
) -> None:
    """Builds each corpus size on each backend in turn and prints one table."""
    settings = get_settings()
    folder = settings.bench_data or SHARED
    if not (folder / "keywords" / "corpus.jsonl").is_file():
        raise SystemExit(f"CSL data not found in {folder} (set FACTORLINK_BENCH_DATA)")
    encoder = get_encoder("e5", settings.matching_query_threads, settings.matching_bulk_threads)
    assert isinstance(encoder, E5Encoder)
    abstracts, titles, queries = _load(folder)
    store = open_vector_store(settings)
    try:
        with console.status("encoding the CSL abstracts (once; kept in the vector store)"):
            base = store.encode(encoder, abstracts)
    finally:
        store.close()
    sample = [f"{t}\n{a[:120]}" for t, a in zip(titles[:ENCODE_SAMPLE], abstracts, strict=False)]
    start = time.perf_counter()
    encoder.passages(sample)
    throughput = len(sample) / (time.perf_counter() - start)
    console.print(f"encoder {encoder.name}: {throughput:.1f} passages/s ({ENCODE_SAMPLE} passages)")
    table = Table(title="matching bench (latency in ms, query encoding included)")
    for column in (
        "backend", "factors", "lexical build s", "dense build s", "memory MiB", "bm25 p50",
        "bm25 p95", "dense p50", "dense p95", "hybrid p50", "hybrid p95", "ANN recall@10",
    ):  # fmt: skip
        table.add_column(column, justify="right")
    rng = random.Random(11)
    for size in sizes:
        chosen = rng.sample(queries, min(query_count, len(queries)))
        for backend in backends:
            gc.collect()
            before = _rss_mib()
            documents, vectors = _corpus(size, abstracts, titles, base)
            with tempfile.TemporaryDirectory(prefix="factorlink-bench-") as tmp:
                if backend == "milvus":
                    index: SearchBackend
                    index, build_s = _build_milvus(Path(tmp), encoder, documents, vectors)
                    builds = (f"{build_s:.1f}", "(in one)")
                else:
                    index, builds = _build_local(encoder, documents, vectors)
                del documents
                gc.collect()
                memory = _rss_mib() - before
                figures = [_latency(index, encoder, chosen, method) for method in Method]
                recall = "exact"
                if isinstance(index, TextIndex) and index.dense._ann is not None:
                    recall = f"{_ann_recall(index.dense, encoder.queries(chosen[:100])):.3f}"
                if isinstance(index, MilvusIndex):
                    disconnect(index.client, str(Path(tmp) / "bench.db"))
            table.add_row(
                backend, f"{size:,}", *builds, f"{memory:,.0f}",
                *(f"{v:.1f}" for pair in figures for v in pair), recall,
            )  # fmt: skip
            console.print(table)
            del index, vectors


def _build_local(
    encoder: E5Encoder, documents: list[list[tuple[str, int]]], vectors: Vectors
) -> tuple[TextIndex, tuple[str, str]]:
    index = TextIndex(encoder)
    ids = list(range(len(documents)))
    start = time.perf_counter()
    index.build(ids, documents, None)
    lexical_s = time.perf_counter() - start
    start = time.perf_counter()
    index.dense.build(ids, vectors)
    dense_s = time.perf_counter() - start
    return index, (f"{lexical_s:.1f}", f"{dense_s:.1f}")
