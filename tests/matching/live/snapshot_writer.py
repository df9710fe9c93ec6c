"""A process that writes and snapshots until it is killed, for the crash tests of the indexes.

Run as `python -m tests.matching.live.snapshot_writer [--die-at array|publish]` with the factorlink
environment pointing at the test's database. It opens the match indexes, then forever: adds an
achievement in its own committed unit of work and writes a snapshot. With --die-at it sends
itself SIGKILL in the middle of the first snapshot it writes after "ready": as it starts its third
array file (a half-written generation) or just before CURRENT is replaced (a CURRENT.tmp left over).
Otherwise it runs until the test kills it.
"""

from __future__ import annotations

import os
import signal
import sys
from itertools import count
from typing import Any, cast

import numpy as np

from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import registry_for
from tests.introduction.builders import add_listing


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _die_at(point: str) -> None:
    """Makes the next snapshot kill this process at a point of its writing."""
    if point == "array":
        real_save = np.save
        calls = count(1)

        def save(*args: Any, **kwargs: Any) -> None:
            if next(calls) == 3:
                _die()
            real_save(*args, **kwargs)

        cast(Any, np).save = save
    elif point == "publish":
        real_replace = os.replace

        def replace(src: Any, dst: Any) -> None:
            if str(src).endswith("CURRENT.tmp"):
                _die()
            real_replace(src, dst)

        cast(Any, os).replace = replace
    else:
        raise SystemExit(f"unknown point {point}")


def main(argv: list[str]) -> None:
    database = Database(get_settings())
    registry = registry_for(database)
    registry.get(PartyKind.achievement)
    if argv[:1] == ["--die-at"]:
        _die_at(argv[1])
    print("ready", flush=True)
    for n in count(1):
        add_listing(
            database,
            "achievement",
            title=f"石墨烯散热膜 第{n}批 进程{os.getpid()}",
            keywords="石墨烯、散热膜",
        )
        registry.save(PartyKind.achievement)
        print(f"saved {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
