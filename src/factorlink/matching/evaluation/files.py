"""Reading evaluation files strictly: a bad line is refused with its file, line and reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factorlink.errors import InvalidInput


def bad_line(path: Path, line: int, zh: str, en: str) -> InvalidInput:
    """The error for one line of a file, in both languages."""
    return InvalidInput(f"{path.name} 第{line}行:{zh}", message_en=f"{path.name} line {line}: {en}")


def jsonl_rows(path: Path, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a JSON-lines file with their line numbers (blank lines skipped); each must
    be an object with a string `key`."""
    if not path.is_file():
        raise InvalidInput(f"找不到文件 {path}", message_en=f"file not found: {path}")
    rows = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            zh, en = f"不是合法的JSON({exc.msg})", f"invalid JSON ({exc.msg})"
            raise bad_line(path, line_no, zh, en) from exc
        if not isinstance(row, dict) or not isinstance(row.get(key), str):
            raise bad_line(path, line_no, f"缺少字符串字段 {key}", f"missing string field {key}")
        rows.append((line_no, row))
    return rows
