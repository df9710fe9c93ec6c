"""Pictures for the photo tests, made with Pillow in memory: a phone-like JPEG carrying its
GPS position and an orientation, and the other formats a user may upload or try to."""

from __future__ import annotations

import io

from PIL import Image

# Where the "phone" was: 31°01'N 121°13'E (Songjiang), written as EXIF GPS.
GPS = {1: "N", 2: (31.0, 1.0, 30.0), 3: "E", 4: (121.0, 13.0, 0.0)}
ORIENTATION, GPS_IFD = 0x0112, 0x8825


def halves(
    width: int = 400, height: int = 300, left: str = "red", right: str = "blue"
) -> Image.Image:
    """Left half one colour, right half another: which way up it is shows."""
    image = Image.new("RGB", (width, height), right)
    image.paste(Image.new("RGB", (width // 2, height), left), (0, 0))
    return image


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def phone_jpeg(width: int = 400, height: int = 300, *, left: str = "red") -> bytes:
    """A JPEG as a phone writes it: turned sideways with orientation 6 (rotate 90° clockwise
    to view) and the GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = GPS
    return encoded(halves(width, height, left), "JPEG", exif=exif.tobytes(), quality=90)


def png(width: int = 320, height: int = 240, colour: str = "green") -> bytes:
    return encoded(Image.new("RGBA", (width, height), colour), "PNG")


def webp(width: int = 320, height: int = 240, colour: str = "orange") -> bytes:
    return encoded(Image.new("RGB", (width, height), colour), "WEBP")


def gif() -> bytes:
    return encoded(Image.new("P", (64, 48)), "GIF")
