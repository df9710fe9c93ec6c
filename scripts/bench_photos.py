"""Benchmark of photo uploads: judging and re-encoding one photo (photo/images.py), a phone's
12-megapixel JPEG decoded at reduced scale (draft) or at full size, and a PNG and a WebP.

The pictures are made here with Pillow (a gradient with noise, so they compress like photos,
not like flat colour). Prints one table: medians over --repeat runs, the time relative to the
draft JPEG, and the bytes in and out. A measurement, not a test: machines are shared and noisy,
so compare ratios within one run.

    .venv/bin/python scripts/bench_photos.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from functools import partial

from PIL import Image
from rich.console import Console
from rich.table import Table

from factorlink.photo.images import Photo, process

MAX_PIXELS = 50_000_000


def picture(width: int, height: int) -> Image.Image:
    """A photo-like picture: a colour gradient under noise."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    return Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def median_ms(work: Callable[[], Photo], repeat: int) -> tuple[float, Photo]:
    times, last = [], work()
    for _ in range(repeat):
        start = time.perf_counter()
        last = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    jpeg = encoded(picture(4032, 3024), "JPEG", quality=90)
    cases: list[tuple[str, bytes, bool]] = [
        ("JPEG 4032×3024, draft", jpeg, True),
        ("JPEG 4032×3024, full decode", jpeg, False),
        ("PNG 2400×1800", encoded(picture(2400, 1800), "PNG"), True),
        ("WebP 2400×1800", encoded(picture(2400, 1800), "WEBP", quality=90), True),
    ]
    table = Table(title=f"photo processing, median of {args.repeat}")
    for column in ("upload", "in (KB)", "ms", "× draft JPEG", "display (KB)", "thumb (KB)"):
        table.add_column(column, justify="left" if column == "upload" else "right")
    base = None
    for name, data, draft in cases:
        ms, photo = median_ms(
            partial(process, data, max_pixels=MAX_PIXELS, draft=draft), args.repeat
        )
        base = base or ms
        table.add_row(
            name,
            f"{len(data) / 1024:,.0f}",
            f"{ms:,.0f}",
            f"{ms / base:.2f}",
            f"{len(photo.display.data) / 1024:,.0f}",
            f"{len(photo.thumb.data) / 1024:,.0f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
