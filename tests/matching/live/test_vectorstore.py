"""The vector store: nothing is encoded twice."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from factorlink.matching.live.vectorstore import VectorStore
from factorlink.matching.retrieval.fusion import Calibration


class CountingEncoder:
    """Encodes by character codes and counts what it was asked to encode."""

    name = "counting"
    dim = 4
    calibration = Calibration()

    def __init__(self) -> None:
        self.seen: list[str] = []

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = np.array([[len(t), ord(t[0]), ord(t[-1]), 1.0] for t in texts], np.float32)
        norms: npt.NDArray[np.float32] = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / norms


def test_second_encode_reads_the_store_and_new_file_sees_old_vectors(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    store = VectorStore(tmp_path / "v.sqlite")
    first = store.encode(encoder, ["电池", "光伏", "电池"])
    assert encoder.seen == ["电池", "光伏", "电池"]
    progress: list[int] = []
    again = store.encode(encoder, ["光伏", "芯片"], progress.append)
    assert encoder.seen[3:] == ["芯片"] and sum(progress) == 2
    np.testing.assert_array_equal(again[0], first[1])
    store.close()
    reopened = VectorStore(tmp_path / "v.sqlite")
    found = reopened.get_many(encoder, ["电池", "未知"])
    np.testing.assert_array_equal(found[0], first[0])
    assert found[1] is None
    reopened.close()


def test_keys_depend_on_the_encoder(tmp_path: Path) -> None:
    other = CountingEncoder()
    other.name = "other"
    assert VectorStore.key(CountingEncoder(), "电池") != VectorStore.key(other, "电池")
