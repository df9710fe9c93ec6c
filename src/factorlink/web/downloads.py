"""Files made for one user to download once the page that made them has been shown.

The rejected rows of an import are kept in the server's memory, under a random key, for the
user who imported them, for an hour; the newest few only. They never go to disk or a URL.
One store per app, built in `create_app`; pages take it as `downloads: Downloads`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

MAX_FILES = 20
LIFETIME_SECONDS = 3600


@dataclass(frozen=True)
class Download:
    """A file waiting to be downloaded by one user."""

    owner: int
    name: str
    media_type: str
    data: bytes
    created: float


class DownloadStore:
    """A small, bounded, expiring store of downloads."""

    def __init__(self) -> None:
        self._files: OrderedDict[str, Download] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, owner: int, name: str, media_type: str, data: bytes) -> str:
        """Keeps a file for its owner; returns its key."""
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._expire(time.monotonic())
            self._files[key] = Download(owner, name, media_type, data, time.monotonic())
            while len(self._files) > MAX_FILES:
                self._files.popitem(last=False)
        return key

    def get(self, owner: int, key: str) -> Download | None:
        """The file, if it exists, has not expired and belongs to this user."""
        with self._lock:
            self._expire(time.monotonic())
            found = self._files.get(key)
        return found if found is not None and found.owner == owner else None

    def _expire(self, now: float) -> None:
        for key in [k for k, f in self._files.items() if now - f.created > LIFETIME_SECONDS]:
            del self._files[key]


def get_downloads(request: Request) -> DownloadStore:
    """The app's store of files waiting to be downloaded."""
    store: DownloadStore = request.app.state.downloads
    return store


Downloads = Annotated[DownloadStore, Depends(get_downloads)]
