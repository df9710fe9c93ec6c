"""SQLite's WAL checkpoints in the background, off the commit path of a server's database.

In WAL mode a commit appends its pages to the log (with synchronous=NORMAL, as the app sets it,
without an fsync); a checkpoint copies the log back into the database file and syncs both. By
default SQLite checkpoints in the commit that takes the log past 1,000 pages, so under a stream
of bid batches every few dozenth commit waited for two fsyncs (10-30 ms on the shared
development machine: the bid path's tail, the whole batch answered that much later).

A server's database (`Database(..., background_checkpoints=True)`) checkpoints from a thread of
its own instead, every CHECKPOINT_SECONDS, PASSIVE (it never waits for readers or writers and
holds none of them up), and its connections checkpoint in a commit only past WAL_AUTOCHECKPOINT
pages. The log starts again from its beginning only after a checkpoint that no commit followed,
which a steady stream of commits rarely leaves room for: then it is that commit's checkpoint,
one in ten times as often, which finds what the thread copied already done. Durability is
unchanged: what a commit does is not touched, and a checkpoint only moves committed pages.
"""

from __future__ import annotations

import sqlite3
import threading

# How often the thread checkpoints (seconds).
CHECKPOINT_SECONDS = 0.25
# Pages of log past which a commit checkpoints itself (SQLite's default: 1,000; a page is 4 KiB,
# so the log file grows to about 40 MiB and is then reused from its beginning).
WAL_AUTOCHECKPOINT = 10_000


class BackgroundCheckpoints:
    """A thread that checkpoints one SQLite database's log (PASSIVE) at a steady pace, on a
    connection of its own, until stopped."""

    def __init__(self, path: str, every: float = CHECKPOINT_SECONDS) -> None:
        self.path = path
        self.every = every
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one checkpoint at a time on the connection
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("PRAGMA busy_timeout=0")  # PASSIVE: never wait
        self._thread = threading.Thread(
            target=self._run, name=f"wal-checkpoints {path}", daemon=True
        )

    def start(self) -> None:
        """Starts the thread."""
        self._thread.start()

    def checkpoint(self) -> tuple[int, int, int]:
        """Runs one PASSIVE checkpoint now: (busy, pages in the log, pages checkpointed), as
        `PRAGMA wal_checkpoint` answers (-1, -1 when the database is not in WAL mode)."""
        with self._lock:
            if self._stop.is_set():
                return (0, -1, -1)
            busy, log, done = self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(log), int(done)

    def alive(self) -> bool:
        """Tells whether the thread runs."""
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stops the thread and closes its connection."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            self._connection.close()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.checkpoint()
            except sqlite3.Error:  # e.g. locked by another process's checkpoint: next time
                continue
