"""Seeded draws, the number templates of the vocabulary ("{120-180}"), and fictional people."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_RANGE = re.compile(r"\{(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\}")


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _step(span: int) -> int:
    # Round to a step that matches the span: 25-100 moves by 5, 1200-1800 by 50.
    return 1 if span < 20 else 10 ** int(math.log10(span)) // 2


class Rand:
    """A seeded random source with the few draws the generator needs."""

    def __init__(self, seed: str) -> None:
        self._r = random.Random(seed)

    def pick(self, items: Sequence[T]) -> T:
        """One item."""
        return items[self._r.randrange(len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """k distinct items, in their original order."""
        chosen = sorted(self._r.sample(range(len(items)), k))
        return [items[i] for i in chosen]

    def shuffled(self, items: Sequence[T]) -> list[T]:
        """A shuffled copy."""
        copy = list(items)
        self._r.shuffle(copy)
        return copy

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self._r.random() < p

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return self._r.randint(lo, hi)

    def jitter(self) -> float:
        """A tiny tie-breaker."""
        return self._r.random() * 1e-6

    def rounded(self, lo: float, hi: float, step: int) -> int:
        """A multiple of step in [lo, hi] (at least step)."""
        low, high = max(1, math.ceil(lo / step)), max(1, math.floor(hi / step))
        return step * self._r.randint(low, max(low, high))

    def number(self, lo: str, hi: str) -> str:
        """A round number between lo and hi, with as many decimals as the bounds have."""
        decimals = max(_decimals(lo), _decimals(hi))
        if decimals:
            unit = 10**-decimals
            steps = round((float(hi) - float(lo)) / unit)
            return f"{float(lo) + unit * self._r.randint(0, steps):.{decimals}f}"
        low, high = int(lo), int(hi)
        step = _step(high - low)
        return str(low + step * self._r.randint(0, (high - low) // step))

    def fill(self, template: str) -> str:
        """Replaces every {lo-hi} of a template with a number in range."""
        return _RANGE.sub(lambda m: self.number(m.group(1), m.group(2)), template)


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁沈任姚卢钟姜崔谭陆范汪廖石金贾夏韦方邹熊孟秦邱侯江尹薛段雷黎史陶贺顾毛郝龚邵万钱严戴"
)
_FIRST = "子宇浩晓佳思嘉志建海文俊欣雨天一永国明春晨雪亚立振婷丽红泽博锦可梓诗慧家昊卫敬"
_SECOND = "涵轩然琳峰婷华强磊辉鹏杰敏霞丹颖楠洁宁瑶晨阳彤斌毅凯悦航远帆睿康平怡伟坤"
_SINGLE = "伟芳敏静磊洋勇军杰娟涛明超霞平刚燕鑫蕾翔波琦璐岩"
# Obviously fictional number ranges, never handed out to real subscribers in these samples.
_MOBILE_PREFIXES = ("1390000", "1380000")


@dataclass(frozen=True)
class Contact:
    """A fictional contact person and mobile number."""

    name: str
    mobile: str


class People:
    """Hands out unique fictional names and mobile numbers."""

    def __init__(self, seed: str) -> None:
        self._rand = Rand(seed)
        self._names: set[str] = set()
        numbers = [f"{p}{n:04d}" for p in _MOBILE_PREFIXES for n in range(10000)]
        self._mobiles = self._rand.shuffled(numbers)

    def name(self) -> str:
        """A common-sounding Chinese name not handed out before."""
        while True:
            surname = self._rand.pick(_SURNAMES)
            if self._rand.chance(0.25):
                given = self._rand.pick(_SINGLE)
            else:
                given = self._rand.pick(_FIRST) + self._rand.pick(_SECOND)
            name = surname + given
            if name not in self._names:
                self._names.add(name)
                return name

    def mobile(self) -> str:
        """A mobile number in the fictional 1390000xxxx / 1380000xxxx ranges."""
        return self._mobiles.pop()

    def contact(self, name: str | None = None) -> Contact:
        """A new contact (with the given name, or a new one)."""
        return Contact(name or self.name(), self.mobile())
