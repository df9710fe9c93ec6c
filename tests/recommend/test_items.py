"""Stored counterparts as bytes and back."""

from __future__ import annotations

import json
import zlib

import pytest

from factorlink.matching.fit.assess import Criterion
from factorlink.recommend.items import Item, decode, encode

TAX = Criterion(
    key="tax_threshold",
    label="亩均税收",
    label_en="Tax per mu",
    met=True,
    score=1.0,
    weight=2.0,
    hard=True,
    detail="年纳税 5200万元 ÷ 10.2亩 ≈ 510万元/亩,达到亩均税收门槛 80万元/亩",
    detail_en="CNY 52m ÷ 10.2 mu ≈ CNY 5.1m per mu, meets the threshold",
    binding=False,
    applies=True,
)
UNKNOWN = Criterion("stage", "投资阶段", "Stage", None, 0.0, 2.0, False, "信息不全", "not stated")


def test_items_come_back_exactly() -> None:
    items = [
        Item(3, -(2**62), 0.8123456789, 0.7, 0.65, 0.75, 0.9, ("石墨烯", "散热"), (TAX, UNKNOWN)),
        Item(9, 2**63 - 1, 0.1, 0.1, 0.1, None, None, (), ()),
    ]
    assert decode(encode(items)) == items
    assert decode(encode([])) == []


def test_the_bytes_are_compressed_positional_json() -> None:
    items = [Item(n, n, 0.5, 0.5, 0.5, None, 0.5, ("电池",), (TAX,) * 4) for n in range(10)]
    blob = encode(items)
    plain = json.loads(zlib.decompress(blob))
    assert plain["criterion"][0] == "key" and plain["items"][0][0] == 0
    assert len(blob) * 5 < len(json.dumps(plain, ensure_ascii=False).encode())


@pytest.mark.parametrize(
    "blob", [b"", b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b'{"v": 99}')]
)
def test_other_bytes_are_refused(blob: bytes) -> None:
    with pytest.raises(ValueError, match="not a stored recommendation"):
        decode(blob)
