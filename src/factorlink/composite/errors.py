"""Collects every problem of a file, then raises one InvalidInput naming each (pure)."""

from __future__ import annotations

from typing import Any

from factorlink.errors import InvalidInput

MAX_ERRORS = 200


class Problems:
    """Problems found in one source (a file, a pipeline), each with where it is."""

    def __init__(self, source: str, title: str, title_en: str) -> None:
        self.source = source
        self.title = title
        self.title_en = title_en
        self.items: list[dict[str, Any]] = []

    def add(self, field: str, reason: str, reason_en: str, **where: Any) -> None:
        """Records one problem; `where` may give row, column and value."""
        self.items.append(
            {"file": self.source, "field": field, **where, "reason": reason, "reason_en": reason_en}
        )

    def raise_if_any(self) -> None:
        """Raises InvalidInput with every problem (at most MAX_ERRORS listed) if there is one."""
        if not self.items:
            return
        first = self.items[0]
        place = _place(first)
        more = len(self.items) - 1
        tail, tail_en = (f"等{len(self.items)}处", f" (and {more} more)") if more else ("", "")
        raise InvalidInput(
            f"“{self.source}”:{self.title}:{place}{first['reason']}{tail}",
            message_en=f"{self.source}: {self.title_en}: {place}{first['reason_en']}{tail_en}",
            errors=self.items[:MAX_ERRORS],
        )


def _place(item: dict[str, Any]) -> str:
    parts = []
    if item.get("row") is not None:
        parts.append(f"row {item['row']}")
    if item.get("column"):
        parts.append(f"column {item['column']}")
    if not parts and item.get("field"):
        parts.append(str(item["field"]))
    return (", ".join(parts) + ": ") if parts else ""
