"""Fetches the web interface's third-party assets (ECharts, Swagger UI) from the npm registry,
checked by hash.

Runs at install time (`make install`), never at run time: the app serves the files it finds
under src/factorlink/web/static/vendor/. Each asset is pinned by version and by the registry's
sha512 integrity string, so a tampered or different tarball is refused.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "src" / "factorlink" / "web" / "static" / "vendor"


@dataclass(frozen=True)
class Asset:
    """One npm package and the files taken from its tarball (member path → file name)."""

    name: str
    version: str
    integrity: str
    files: dict[str, str]

    @property
    def url(self) -> str:
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"

    @property
    def folder(self) -> Path:
        return VENDOR / self.name


ASSETS = (
    Asset(
        name="echarts",
        version="6.1.0",
        integrity="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==",
        files={"package/dist/echarts.min.js": "echarts.min.js", "package/LICENSE": "LICENSE"},
    ),
    # The API documentation page (/docs), served from here rather than a CDN.
    Asset(
        name="swagger-ui-dist",
        version="5.35.0",
        integrity="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        files={
            "package/swagger-ui-bundle.js": "swagger-ui-bundle.js",
            "package/swagger-ui.css": "swagger-ui.css",
            "package/LICENSE": "LICENSE",
        },
    ),
)


def verify(data: bytes, integrity: str) -> None:
    """Refuses bytes whose sha512 differs from the registry's integrity string."""
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity mismatch: expected {integrity}, got {algorithm}-{digest}")


def install(asset: Asset) -> bool:
    """Downloads and extracts one asset unless its version is already in place."""
    stamp = asset.folder / "VERSION"
    if stamp.is_file() and stamp.read_text().strip() == asset.version:
        return False
    with urllib.request.urlopen(asset.url, timeout=120) as response:
        data = response.read()
    verify(data, asset.integrity)
    asset.folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, target in asset.files.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SystemExit(f"{asset.name}: {member} missing from the tarball")
            (asset.folder / target).write_bytes(extracted.read())
    stamp.write_text(asset.version + "\n")
    return True


def main() -> int:
    for asset in ASSETS:
        fetched = install(asset)
        state = "fetched" if fetched else "present"
        print(f"{asset.name} {asset.version}: {state} in {asset.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
