"""What the HTTP edge reads of a hostile body: uploads against a real `factorlink serve` process.

Starts the server on a fresh data directory, sends each body below over a raw socket (so the
client stops the moment an answer comes, as a careful attacker's would not), and samples the
server's resident memory and the temporary directory's free space meanwhile. Prints a table:

    .venv/bin/python scripts/bench_edge.py            # this tree
    .venv/bin/python scripts/bench_edge.py --src OLD  # another checkout's src/ (a comparison)

Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHUNK = 256 * 1024
GB = 1024**3
MB = 1024**2


@dataclass(frozen=True)
class Probe:
    """One hostile request."""

    label: str
    path: str
    size: int
    content_type: str
    chunked: bool
    headers: tuple[tuple[str, str], ...] = ()


PROBES = (
    Probe("anonymous 1 GB upload, chunked", "/api/v1/imports?kind=organization", GB,
          "multipart/form-data; boundary=x", chunked=True),
    Probe("anonymous 1 GB upload, Content-Length", "/api/v1/imports?kind=organization", GB,
          "multipart/form-data; boundary=x", chunked=False),
    Probe("anonymous 200 MB JSON lead", "/api/v1/leads", 200 * MB, "application/json",
          chunked=False),
    Probe("anonymous 200 MB JSON lead, chunked", "/api/v1/leads", 200 * MB, "application/json",
          chunked=True),
    Probe("300 MB page upload without a cookie", "/workspace/import", 300 * MB,
          "multipart/form-data; boundary=x", chunked=False),
)  # fmt: skip


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    """Samples the server's RSS and the free space of the temporary directory."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = rss_mb(pid)
        self.min_free = shutil.disk_usage(tempfile.gettempdir()).free
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_rss = max(self.peak_rss, rss_mb(self.pid))
            self.min_free = min(self.min_free, shutil.disk_usage(tempfile.gettempdir()).free)
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        time.sleep(0.3)  # a spooled file would still be there
        self._stop.set()
        self._thread.join()


def send(port: int, probe: Probe) -> tuple[str, int]:
    """Sends the probe until the server answers; returns the status line and bytes sent."""
    head = [f"POST {probe.path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {probe.content_type}"]
    head.append("Transfer-Encoding: chunked" if probe.chunked else f"Content-Length: {probe.size}")
    head += [f"{k}: {v}" for k, v in probe.headers]
    block = b"x" * CHUNK
    if probe.content_type.startswith("multipart/"):  # a well-formed file part, then its bytes
        part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="rows.csv"\r\n'
        part += b"Content-Type: text/csv\r\n\r\n"
        block = part + block[len(part) :]
    frame = f"{CHUNK:x}\r\n".encode() + block + b"\r\n" if probe.chunked else block
    tail = b"x" * CHUNK
    tail_frame = f"{CHUNK:x}\r\n".encode() + tail + b"\r\n" if probe.chunked else tail
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        while sent < probe.size:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break
            if writable:
                try:
                    sock.sendall(frame if sent == 0 else tail_frame)
                except OSError:
                    break
                sent += CHUNK
        else:
            if probe.chunked:
                sock.sendall(b"0\r\n\r\n")
        sock.settimeout(120)
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    return answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(closed)", sent


def start(src: Path | None, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FACTORLINK_DATA_DIR": str(data_dir),
        "FACTORLINK_MATCHING_ENCODER": "none",
    }
    if src is not None:
        env["PYTHONPATH"] = str(src)
    code = "from factorlink.cli.main import app; app()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if b"200" in sock.recv(100):
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, help="a src/ folder to serve instead of this tree's")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start(args.src, Path(tmp), args.port)
        try:
            idle = rss_mb(server.pid)
            print(f"server idle RSS {idle:.0f} MB; temporary directory {tempfile.gettempdir()}")
            print(f"| {'request':<40} | {'answer':<32} | {'sent MB':>8} | {'RSS peak MB':>11} "
                  f"| {'tmp free drop MB':>16} | {'s':>6} |")  # fmt: skip
            print(f"|{'-' * 42}|{'-' * 34}|{'-' * 10}|{'-' * 13}|{'-' * 18}|{'-' * 8}|")
            for probe in PROBES:
                before_free = shutil.disk_usage(tempfile.gettempdir()).free
                started = time.monotonic()
                with Sampler(server.pid) as sampler:
                    status, sent = send(args.port, probe)
                elapsed = time.monotonic() - started
                drop = max(0, before_free - sampler.min_free) / MB
                row = f"| {probe.label:<40} | {status[9:]:<32} | {sent / MB:>8.1f} "
                row += f"| {sampler.peak_rss:>11.0f} | {drop:>16.1f} | {elapsed:>6.2f} |"
                print(row)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
