"""An uploaded photo judged by its content and made into the two files the pages show (pure:
bytes in, bytes out, no files or database).

Only JPEG, PNG and WebP are accepted, told by the bytes (Pillow's decoders), never by the file
name. The size in pixels is read from the header and judged before anything is decoded, so a
small file claiming a huge picture (a decompression bomb) costs nothing. The picture is turned
the way its EXIF orientation says, brought to sRGB, and re-encoded as WebP without any metadata:
EXIF (with the GPS position of the phone that took it), XMP and ICC profiles are left behind.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow's names of the accepted decoders, and how a user calls each.
FORMATS = ("JPEG", "PNG", "WEBP")
# The display size: the longer side at most this many pixels (a 2× screen 800 px wide).
DISPLAY_SIDE = 1600
# The thumbnail: cropped to 4:3, as the cards and the gallery strip show it.
THUMB_SIZE = (480, 360)
DISPLAY_QUALITY = 82
THUMB_QUALITY = 76
MEDIA_TYPE = "image/webp"
# Photos one upload request may carry (the request's body cap is this many photo files).
PER_UPLOAD = 6
EXTENSION = "webp"
_SRGB = ImageCms.createProfile("sRGB")


class PhotoRefused(Exception):
    """The file is not a photo we take; the reason in Chinese and English."""

    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason = reason
        self.reason_en = reason_en


@dataclass(frozen=True)
class Rendition:
    """One encoded file: its bytes and its size in pixels."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Photo:
    """What an upload became: the display size, the thumbnail, and the format it came in."""

    display: Rendition
    thumb: Rendition
    source_format: str


def _open(data: bytes, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit refuses) on huge pictures; ours is lower,
        # but a file beyond both is refused with our own words too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many(None, max_pixels) from None
        except (UnidentifiedImageError, OSError, ValueError):
            raise PhotoRefused(
                "不是JPEG、PNG或WebP格式的图片", "not a JPEG, PNG or WebP image"
            ) from None
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many((width, height), max_pixels)
    return image


def _too_many(size: tuple[int, int] | None, max_pixels: int) -> PhotoRefused:
    limit = f"{max_pixels / 1_000_000:g}"
    if size is None:
        return PhotoRefused(
            f"图片像素过多(上限{limit}百万像素)", f"too many pixels (at most {limit} megapixels)"
        )
    width, height = size
    return PhotoRefused(
        f"图片像素过多({width}×{height},上限{limit}百万像素)",
        f"too many pixels ({width}x{height}; at most {limit} megapixels)",
    )


def _upright_srgb(image: Image.Image) -> Image.Image:
    """Decodes the picture turned as its EXIF orientation says, in 8-bit sRGB without alpha
    (a transparent part shows white, as on the page)."""
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if icc and upright.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if upright.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(upright, source, _SRGB, outputMode=mode)
            if converted is not None:
                upright = converted
        except ImageCms.PyCMSError:
            pass  # a broken profile: the colours as stored
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return upright.convert("RGB")


def _encode(image: Image.Image, quality: int) -> Rendition:
    out = io.BytesIO()
    # Nothing but the pixels: no exif, xmp or icc_profile is passed, so none is written.
    # method 2 (of 0-6): on a 1600 × 1200 photo-like picture it encoded in half the time of the
    # default 4 (235 vs 467 ms), the file 1% larger (scripts/bench_photos.py).
    image.save(out, "WEBP", quality=quality, method=2)
    return Rendition(out.getvalue(), image.width, image.height)


def process(data: bytes, *, max_pixels: int, draft: bool = True) -> Photo:
    """Judges an upload and makes its display size and thumbnail; raises PhotoRefused.
    (`draft=False` decodes a JPEG at full size: for scripts/bench_photos.py.)"""
    image = _open(data, max_pixels)
    source_format = str(image.format)
    if source_format == "JPEG" and draft:
        # Decode a large JPEG at 1/2, 1/4 or 1/8 scale when that still covers the display
        # size: a 12-megapixel phone photo decodes in a quarter of the memory and time.
        scale = DISPLAY_SIDE / max(image.size)
        if scale < 1:
            image.draft(
                "RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
            )
    try:
        picture = _upright_srgb(image)
    except (OSError, ValueError, SyntaxError):
        raise PhotoRefused("图片文件已损坏或不完整", "the image is damaged or incomplete") from None
    display = picture.copy()
    display.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE), Image.Resampling.LANCZOS)
    # From the display size: a third less time than from the decoded picture, the same result
    # at 480 × 360.
    thumb = ImageOps.fit(display, THUMB_SIZE, Image.Resampling.LANCZOS)
    return Photo(_encode(display, DISPLAY_QUALITY), _encode(thumb, THUMB_QUALITY), source_format)
