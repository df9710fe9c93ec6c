"""Measures the matching methods on a BEIR-format directory (corpus, queries, qrels).

The corpus is indexed with the product's own `TextIndex`, passage vectors come from the vector
store (so a second run encodes nothing), and every method answers every judged query. A bad file
is refused with its name, line and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factorlink.errors import InvalidInput
from factorlink.matching.evaluation.files import bad_line, jsonl_rows
from factorlink.matching.evaluation.metrics import summarise
from factorlink.matching.live.vectorstore import VectorStore
from factorlink.matching.retrieval.backend import SearchBackend
from factorlink.matching.retrieval.dense import Encoder
from factorlink.matching.retrieval.engine import Method, TextIndex, passage_text

TOP = 100


@dataclass(frozen=True)
class Dataset:
    """A BEIR directory read into memory."""

    name: str
    doc_ids: list[str]
    documents: list[list[tuple[str, int]]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in jsonl_rows(path, "_id")]


def _qrels(folder: Path) -> dict[str, dict[str, int]]:
    files = sorted((folder / "qrels").glob("*.tsv"))
    if not files:
        raise InvalidInput(
            f"{folder} 下没有 qrels/*.tsv", message_en=f"no qrels/*.tsv under {folder}"
        )
    qrels: dict[str, dict[str, int]] = {}
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for line_no, line in enumerate(lines, start=1):
            cells = line.split("\t")
            if line_no == 1 and cells[0] == "query-id":
                continue
            if len(cells) != 3 or not cells[2].strip().lstrip("-").isdigit():
                raise bad_line(
                    path,
                    line_no,
                    "应为 query-id<TAB>corpus-id<TAB>整数分值",
                    "expected query-id, corpus-id, score",
                )
            qrels.setdefault(cells[0], {})[cells[1]] = int(cells[2])
    return qrels


def load_dataset(folder: Path) -> Dataset:
    """Reads corpus.jsonl, queries.jsonl and qrels/*.tsv of one BEIR directory."""
    corpus = _jsonl(folder / "corpus.jsonl")
    queries = {row["_id"]: str(row.get("text", "")) for row in _jsonl(folder / "queries.jsonl")}
    documents = [
        [(str(row.get("title") or ""), 2), (str(row.get("text") or ""), 1)] for row in corpus
    ]
    return Dataset(
        name=folder.name,
        doc_ids=[row["_id"] for row in corpus],
        documents=documents,
        queries=queries,
        qrels=_qrels(folder),
    )


def evaluate(
    dataset: Dataset,
    methods: Sequence[Method],
    encoder: Encoder | None,
    store: VectorStore | None,
    progress: Callable[[int], None] | None = None,
    backend: Callable[[Encoder | None], SearchBackend] | None = None,
) -> dict[str, dict[str, float]]:
    """nDCG@10, Recall@10, Recall@100 and MRR@10 per method (on the local engine, or on the
    backend the factory makes for the encoder)."""
    needs_vectors = any(m != Method.bm25 for m in methods)
    make = backend or TextIndex
    index = make(encoder if needs_vectors else None)
    vectors = None
    if needs_vectors and encoder is not None and store is not None:
        texts = [passage_text(d) for d in dataset.documents]
        vectors = store.encode(encoder, texts, progress)
    numbers = list(range(len(dataset.doc_ids)))
    index.build(numbers, dataset.documents, vectors)
    judged = [q for q in dataset.qrels if q in dataset.queries]
    results: dict[str, dict[str, float]] = {}
    for method in methods:
        runs = {
            q: [dataset.doc_ids[hit.id] for hit in index.search(dataset.queries[q], TOP, method)]
            for q in judged
        }
        results[method.value] = summarise(runs, dataset.qrels)
    return results
