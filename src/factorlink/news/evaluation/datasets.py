"""The two layouts of pages with a ground truth that `factorlink news eval` reads.

- cwced: ``original/<id>.html``, ``cleaned/<id>.txt`` (the body), ``date/<id>.txt`` (the date as
  printed, or UNKNOWN), ``author/<id>.txt``;
- magic-html: ``html/<id>.html`` and ``truth.jsonl`` (``id``, ``url``, ``content``); its truth
  states a date only where the content's first line carries one.

A folder holding such folders is read as all of them together.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factorlink.news.dates import dates_in


class DatasetError(ValueError):
    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class TruthPage:
    name: str
    path: Path
    url: str | None
    body: str
    date: str | None  # as written; None when the set does not state it
    author: str | None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _cwced(folder: Path) -> Iterator[TruthPage]:
    for page in sorted((folder / "original").iterdir()):
        if not page.is_file():
            continue
        stem = page.stem
        cleaned = folder / "cleaned" / f"{stem}.txt"
        if not cleaned.is_file():
            continue
        date_file = folder / "date" / f"{stem}.txt"
        author_file = folder / "author" / f"{stem}.txt"
        yield TruthPage(
            name=f"{folder.name}/{page.name}",
            path=page,
            url=None,
            body=_read_text(cleaned),
            date=_read_text(date_file).strip() if date_file.is_file() else None,
            author=_read_text(author_file).strip() if author_file.is_file() else None,
        )


def _magic(folder: Path) -> Iterator[TruthPage]:
    truth = folder / "truth.jsonl"
    for number, line in enumerate(truth.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            page_id, content = str(record["id"]), str(record["content"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(
                f"{truth} 第 {number} 行不是有效的真值记录(需要 id 与 content):{exc}",
                f"{truth} line {number} is not a truth record (id and content needed): {exc}",
            ) from None
        page = folder / "html" / f"{page_id}.html"
        if not page.is_file():
            continue
        first = content.strip().split("\n", 1)[0][:80]
        found = dates_in(first)
        yield TruthPage(
            name=f"{folder.name}/{page.name}",
            path=page,
            url=record.get("url"),
            body=content,
            date=found[0].day.isoformat() if found else None,
            author=None,
        )


def layout_of(folder: Path) -> str | None:
    """ "cwced", "magic" or None."""
    if (folder / "original").is_dir() and (folder / "cleaned").is_dir():
        return "cwced"
    if (folder / "html").is_dir() and (folder / "truth.jsonl").is_file():
        return "magic"
    return None


def truth_pages(folder: Path) -> list[TruthPage]:
    """The pages of one data set, or of every data set directly inside the folder."""
    if not folder.is_dir():
        raise DatasetError(f"{folder} 不是文件夹", f"{folder} is not a folder")
    readers = {"cwced": _cwced, "magic": _magic}
    layout = layout_of(folder)
    if layout:
        return list(readers[layout](folder))
    pages: list[TruthPage] = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and (inner := layout_of(child)):
            pages.extend(readers[inner](child))
    if not pages:
        raise DatasetError(
            f"{folder} 不是已知的评测数据布局(cwced: original/ cleaned/ date/;"
            " magic-html: html/ truth.jsonl)",
            f"{folder} holds no known layout (cwced: original/ cleaned/ date/;"
            " magic-html: html/ truth.jsonl)",
        )
    return pages
