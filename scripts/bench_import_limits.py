"""Hostile imports against a real server: memory above idle, time and the answer.

Starts `factorlink serve` (uvicorn, one process, lexical matching) on a fresh SQLite database in a
temporary folder, creates an admin with an API token, and posts each file to
`POST /api/v1/imports` over HTTP. For each it prints the server's peak RSS above its idle RSS
(Linux: /proc/PID/status VmHWM, reset through /proc/PID/clear_refs before each request), the
time, the status and what the answer says. A measurement, not a test.

The files (generated, nothing downloaded):
- bomb-narrow.xlsx: 1,000,000 identical rows of two organisation columns, ~150 KB deflated,
  ~50 MB inflated (the audit's file): refused by the rows counted while inflating (dry run).
- bomb-wide.xlsx: 1,000,000 identical rows of the 13 achievement columns, ~1.3 MB deflated,
  ~280 MB inflated: refused by the sizes its parts declare, before anything is inflated.
- blank-190k.xlsx: a header and 190,000 blank rows, no size stated (openpyxl reads the whole
  sheet when it opens it): just within the row count, read through and refused as headerless.
- many.csv: 50 MB of ~350,000 short achievement rows: refused by the row limit.
- bad.csv: 50 MB of ~85,000 achievement rows, each with a bad mobile: all-or-nothing refused,
  the first thousand errors listed and the rest counted, nothing written.
- big.csv: 50 MB (GB18030) of ~85,000 valid achievement rows: imported for real.
- big.xlsx: the rows of a 50 MB UTF-8 CSV (~59,000) as a workbook (~24 MB, inline strings as
  openpyxl writes them): imported for real.

    .venv/bin/python scripts/bench_import_limits.py [--only bomb-wide bad.csv] [--keep]

The server runs with FACTORLINK_IMPORT_MAX_BYTES=60 MB so the 50 MB files reach the import code
(with the default 20 MB the edge refuses them with a 413 before reading; `--edge-default` shows
that too).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

from factorlink.auth.models import AuthToken, Role, TokenKind, User
from factorlink.auth.tokens import digest, new_token
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.sample.loader import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
FACTORLINK = ROOT / ".venv" / "bin" / "factorlink"
MB = 1024 * 1024
ACHIEVEMENT_HEADERS = [
    "编号", "成果名称*", "成果简介*", "关键词", "所属行业*", "技术成熟度", "知识产权形式",
    "合作方式", "参考价格(万元)", "所属机构*", "所在城市*", "联系人", "手机号",
]  # fmt: skip


def _sheet_xml(rows: int, cells: list[int]) -> Iterator[bytes]:
    """A worksheet of `rows` identical rows of shared-string cells, after a header row."""
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>"
    )
    header = b"".join(b'<c t="s"><v>%d</v></c>' % i for i in range(len(cells)))
    yield b"<row>" + header + b"</row>"
    row = b"<row>" + b"".join(b'<c t="s"><v>%d</v></c>' % v for v in cells) + b"</row>"
    chunk = row * 10_000
    for _ in range(rows // 10_000):
        yield chunk
    yield b"</sheetData></worksheet>"


def xlsx_bomb(rows: int, headers: list[str], values: list[str]) -> bytes:
    """A real workbook (Excel opens it) of identical rows, deflated as tightly as zip can."""
    strings = [*headers, *values]
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    ns = "http://schemas.openxmlformats.org/"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}spreadsheetml/2006/'
            f'main" xmlns:r="{ns}officeDocument/2006/relationships"><sheets><sheet '
            'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{ns}officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}spreadsheetml/2006/main">'
            f"{sst}</sst>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
        value_ids = list(range(len(headers), len(strings)))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for piece in _sheet_xml(rows, value_ids):
                sheet.write(piece)
    return buffer.getvalue()


def _sample_achievements() -> list[dict[str, Any]]:
    lines = (DATA_DIR / "achievements.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def achievements_csv(
    target_bytes: int, *, bad_mobile: bool = False, short: bool = False, encoding: str = "utf-8"
) -> bytes:
    """Distinct achievement rows from the packaged sample (codes and titles made unique; `short`
    cuts the abstract to a few words), written until the file reaches `target_bytes`."""
    base = _sample_achievements()
    headers = list(base[0])
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(headers)
    i = 0
    while out.tell() < target_bytes:
        row = dict(base[i % len(base)])
        row["编号"] = f"BENCH-{i:07d}"
        row["成果名称"] = f"{row['成果名称']}(批次{i})"
        if short:
            row["成果简介"] = row["成果简介"][:8]
        if bad_mobile:
            row["手机号"] = "1381234"
        writer.writerow([row.get(h, "") for h in headers])
        i += 1
    text.detach()
    return out.getvalue()


def as_workbook(data: bytes) -> bytes:
    """The rows of a UTF-8 CSV as an .xlsx."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Case:
    name: str
    kind: str
    build: Callable[[], bytes]
    params: dict[str, str]


def cases() -> list[Case]:
    org_headers = ["机构名称", "所在城市"]
    return [
        Case(
            "bomb-narrow.xlsx",
            "organization",
            lambda: xlsx_bomb(1_000_000, org_headers, ["同一家公司", "合肥"]),
            {"dry_run": "true"},
        ),
        Case(
            "bomb-wide.xlsx",
            "achievement",
            lambda: xlsx_bomb(1_000_000, ACHIEVEMENT_HEADERS, [f"值{i}" for i in range(13)]),
            {},
        ),
        Case(
            "blank-190k.xlsx",
            "organization",
            lambda: xlsx_bomb(190_000, org_headers, [" ", " "]),
            {"dry_run": "true"},
        ),
        Case("many.csv", "achievement", lambda: achievements_csv(50 * MB, short=True), {}),
        Case("bad.csv", "achievement", lambda: achievements_csv(50 * MB, bad_mobile=True), {}),
        Case("big.csv", "achievement", lambda: achievements_csv(50 * MB, encoding="gb18030"), {}),
        Case("big.xlsx", "achievement", lambda: as_workbook(achievements_csv(50 * MB)), {}),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(pid: int, key: str) -> int:
    """A VmRSS/VmHWM figure of /proc/PID/status, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux 4.0+)


class Sampler(threading.Thread):
    """Samples a process's RSS every 20 ms (a second opinion beside VmHWM)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _status(self.pid, "VmRSS"))
            time.sleep(0.02)


def _admin_token(settings: Settings) -> str:
    database = Database(settings)
    token = new_token()
    with database.unit_of_work() as session:
        user = User(username="bench-admin", password_hash="!unusable", role=Role.admin)
        session.add(user)
        session.flush()
        session.add(AuthToken(digest=digest(token), user_id=user.id, kind=TokenKind.api))
    database.dispose()
    return token


def _summary(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:120]
    if "detail" in body:
        errors = len(body.get("errors") or [])
        return f"{body['detail'][:90]} [errors listed: {errors}]"
    keys = ("created", "updated", "unchanged", "rejected", "errors_omitted")
    return ", ".join(f"{k} {body.get(k)}" for k in keys)


@dataclass
class Server:
    """`factorlink serve` on a fresh database, with an admin's token."""

    process: subprocess.Popen[bytes]
    base: str
    headers: dict[str, str]


def start_server(tmp: Path, edge_default: bool) -> Server:
    data_dir = tmp / "var"
    data_dir.mkdir()
    env = {
        **os.environ,
        "FACTORLINK_DATA_DIR": str(data_dir),
        "FACTORLINK_MATCHING_ENCODER": "none",
        "FACTORLINK_IMPORT_RATE_LIMIT": "1000",
        "FACTORLINK_LOG_LEVEL": "WARNING",
    }
    env.pop("FACTORLINK_DATABASE_URL", None)
    if not edge_default:
        env["FACTORLINK_IMPORT_MAX_BYTES"] = str(60 * MB)
    token = _admin_token(Settings(data_dir=data_dir, matching_encoder="none"))
    port = _free_port()
    process = subprocess.Popen(
        [str(FACTORLINK), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Server(process, f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"})


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGINT)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def measure(case: Case, data: bytes, edge_default: bool) -> list[str]:
    """Posts one file to a server of its own; the figures of one table row."""
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        server = start_server(Path(tmp), edge_default)
        pid = server.process.pid
        try:
            with httpx.Client(base_url=server.base, timeout=1800) as client:
                for _ in range(300):
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                # Warm up: a small import loads every module the path needs.
                warm = client.post(
                    "/api/v1/imports",
                    params={"kind": "achievement", "dry_run": "true"},
                    files={"file": ("warm.csv", achievements_csv(20_000), "text/csv")},
                    headers=server.headers,
                )
                assert warm.status_code == 200, warm.text
                idle = _status(pid, "VmRSS")
                _reset_peak(pid)
                sampler = Sampler(pid)
                sampler.start()
                start = time.perf_counter()
                response = client.post(
                    "/api/v1/imports",
                    params={"kind": case.kind, **case.params},
                    files={"file": (case.name, data, "application/octet-stream")},
                    headers=server.headers,
                )
                seconds = time.perf_counter() - start
                sampler.done.set()
                sampler.join()
                peak = max(_status(pid, "VmHWM"), sampler.peak)
        finally:
            stop_server(server)
    return [
        case.name,
        f"{len(data) / 1024:,.0f} KB",
        f"{idle / MB:,.0f} MB",
        str(response.status_code),
        f"{seconds:.1f}",
        f"{(peak - idle) / MB:,.0f} MB",
        f"{_summary(response)} ({len(response.content) / 1024:,.0f} KB body)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", help="names of the files to post")
    parser.add_argument("--edge-default", action="store_true", help="keep the 20 MB upload cap")
    args = parser.parse_args()
    chosen = [c for c in cases() if not args.only or c.name in args.only]
    table = Table(title="hostile imports, each on a fresh `factorlink serve` (uvicorn)")
    for col in ("file", "size", "idle RSS", "status", "s", "peak RSS above idle", "answer"):
        table.add_column(col, justify="left" if col in ("file", "answer") else "right")
    for case in chosen:
        table.add_row(*measure(case, case.build(), args.edge_default))
    Console(width=220).print(table)


if __name__ == "__main__":
    main()
