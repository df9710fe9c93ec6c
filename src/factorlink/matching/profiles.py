"""Profiles of stored factors: the structured facts of a row of each kind (reads, never queries),
as its kind's descriptor (`<kind>/kind.py`) reads them."""

from __future__ import annotations

from typing import Any

from factorlink.introduction.models import PartyKind
from factorlink.kinds.registry import KINDS
from factorlink.matching.fit.profile import Profile


def profile_of(kind: str, obj: Any) -> Profile:
    """The profile of a stored row of this kind; raises ValueError for an unknown kind."""
    if kind not in PartyKind.__members__:
        names = ", ".join(k.value for k in KINDS)
        raise ValueError(f"no profile for kind {kind!r}; expected one of {names}")
    return KINDS[PartyKind(kind)].profile(obj)
