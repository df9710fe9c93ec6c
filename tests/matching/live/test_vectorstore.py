"""The vector store: nothing is encoded twice, in a file or in a PostgreSQL database that every
machine shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from factorlink.config import Settings
from factorlink.matching.live.vectorstore import (
    DatabaseVectorStore,
    FileVectorStore,
    VectorStore,
    open_vector_store,
)
from factorlink.matching.retrieval.fusion import Calibration

Open = Callable[[], VectorStore]


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


@pytest.fixture(params=["file", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Open:
    """Opens the same store again and again: a file, or the test's PostgreSQL database."""
    if request.param == "file":
        return lambda: FileVectorStore(tmp_path / "v.sqlite")
    url: str = request.getfixturevalue("shared_store_url")
    return lambda: DatabaseVectorStore(url)


def test_second_encode_reads_the_store_and_a_new_handle_sees_old_vectors(open_store: Open) -> None:
    encoder = CountingEncoder()
    store = open_store()
    first = store.encode(encoder, ["电池", "光伏", "电池"])
    assert encoder.seen == ["电池", "光伏", "电池"]
    progress: list[int] = []
    again = store.encode(encoder, ["光伏", "芯片"], progress.append)
    assert encoder.seen[3:] == ["芯片"] and sum(progress) == 2
    np.testing.assert_array_equal(again[0], first[1])
    store.close()
    reopened = open_store()  # another process, another machine
    found = reopened.get_many(encoder, ["电池", "未知"])
    np.testing.assert_array_equal(found[0], first[0])
    assert found[1] is None
    reopened.close()


def test_vectors_added_by_key_keep_what_is_stored(open_store: Open) -> None:
    encoder = CountingEncoder()
    store = open_store()
    try:
        kept = store.encode(encoder, ["电池"])
        keys = [store.key(encoder, t) for t in ("电池", "光伏")]
        shipped = np.full((2, 4), 0.5, dtype=np.float32)
        assert store.add_keyed(keys, shipped) == 1
        found = store.get_many(encoder, ["电池", "光伏"])
        np.testing.assert_array_equal(found[0], kept[0])
        np.testing.assert_array_equal(found[1], shipped[1])
        store.put(encoder, ["光伏", "光伏"], np.zeros((2, 4), np.float32))  # one text twice
        np.testing.assert_array_equal(store.get_many(encoder, ["光伏"])[0], np.zeros(4))
    finally:
        store.close()


def test_the_settings_choose_the_store(tmp_path: Path, settings: Settings) -> None:
    local = open_vector_store(Settings(data_dir=tmp_path))
    assert (
        isinstance(local, FileVectorStore) and local.path == tmp_path / "index" / "vectors.sqlite"
    )
    local.close()
    with pytest.raises(ValueError, match="a PostgreSQL URL"):
        open_vector_store(Settings(data_dir=tmp_path, matching_vector_store_url="sqlite:///x.db"))


def test_keys_depend_on_the_encoder(tmp_path: Path) -> None:
    other = CountingEncoder()
    other.name = "other"
    assert VectorStore.key(CountingEncoder(), "电池") != VectorStore.key(other, "电池")
