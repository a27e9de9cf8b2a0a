"""A vl-convert process that renders an edition's charts while the edition is being built.

vl-convert holds the GIL while it renders, so a thread cannot overlap its work with
Python's; a second process can. `ChartWorker.inline_svg` sends a chart's spec to the
process and returns a placeholder at once; `fill` swaps each placeholder for the chart's
inline SVG, waiting for the ones not rendered yet. The SVGs are those `to_inline_svg`
gives. If the process cannot start or stops, the charts are rendered here instead.

The process is `python -m sectracker.charts.worker`: it reads specs (JSON) from stdin and
writes SVGs, or errors, to stdout, in order, each message preceded by its length. It
warms vl-convert up (about 0.6 s) as soon as it starts.
"""

from __future__ import annotations

import json
import os
import queue
import re
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sectracker.errors import ReportError

_LENGTH = struct.Struct(">I")
_OK, _FAILED = b"S", b"E"
_WARM_UP: dict[str, Any] = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}}
# NUL does not occur in Markdown or HTML text, so no text passes for a placeholder by chance.
_PLACEHOLDER = re.compile("\x00chart-(\\d+)\x00")
# The folder holding this `sectracker`, so that the process runs the same code as its parent.
_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerStopped(Exception):
    """The worker process is gone; its charts are rendered in this process."""


class ChartWorker:
    """Charts rendered by a worker process while the caller goes on (a context manager)."""

    def __init__(self) -> None:
        self._charts: list[tuple[Future[str], str, str]] = []  # (SVG to come, spec JSON, id prefix)
        self._pending: queue.SimpleQueue[Future[str]] = queue.SimpleQueue()
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Lock()  # a chart is queued, or failed, never left waiting on a stopped process
        self._stopped = False
        path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-P", "-m", "sectracker.charts.worker"],  # -P: not the working folder's code
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        except OSError:
            self._process, self._stopped = None, True
            return
        # Writing waits while the process renders (a map's spec fills the pipe); a thread waits instead.
        self._threads = [
            threading.Thread(target=self._write, daemon=True),
            threading.Thread(target=self._read, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> ChartWorker:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def inline_svg(self, chart: Any, id_prefix: str) -> str:
        """A placeholder for the chart's inline SVG (`render.to_inline_svg`), to be swapped by `fill`."""
        from sectracker.charts.render import to_spec_json

        spec = to_spec_json(chart)
        future: Future[str] = Future()
        with self._lock:
            if self._stopped:
                future.set_exception(WorkerStopped())
            else:
                self._pending.put(future)
                self._outbox.put(spec.encode("utf-8"))
        self._charts.append((future, spec, id_prefix))
        return f"\x00chart-{len(self._charts) - 1}\x00"

    def fill(self, text: str) -> str:
        """The text with every placeholder replaced by its chart; ReportError if one cannot be drawn."""
        return _PLACEHOLDER.sub(self._svg, text)

    def close(self) -> None:
        """Stop the process; charts not filled by now are not needed."""
        if self._process is None:
            return
        self._process.kill()  # it has nothing to save, and may still be warming up
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(timeout=10)
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None

    def _svg(self, placeholder: re.Match[str]) -> str:
        from sectracker.charts.render import inline_svg_from, svg_from_spec

        index = int(placeholder.group(1))
        if index >= len(self._charts):
            return placeholder.group(0)  # not one of this worker's
        future, spec, id_prefix = self._charts[index]
        try:
            svg = future.result()
        except WorkerStopped:
            svg = svg_from_spec(json.loads(spec))
        return inline_svg_from(svg, id_prefix)

    def _write(self) -> None:
        assert self._process is not None and self._process.stdin is not None
        stdin = self._process.stdin
        with suppress(OSError):  # the process is gone: the reader fails what is pending
            while (message := self._outbox.get()) is not None:
                _write_message(stdin, message)
        with suppress(OSError):  # closing flushes, which fails the same way
            stdin.close()

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        while (message := _read_message(stdout)) is not None:
            future = self._pending.get()
            if message[:1] == _OK:
                future.set_result(message[1:].decode("utf-8"))
            else:
                future.set_exception(ReportError(f"the chart could not be rendered: {message[1:].decode('utf-8')}"))
        # End of output: charts still pending, and any asked for later, fall back to this process.
        with self._lock:
            self._stopped = True
            while not self._pending.empty():
                self._pending.get().set_exception(WorkerStopped())


def _write_message(stream: IO[bytes], message: bytes) -> None:
    stream.write(_LENGTH.pack(len(message)) + message)
    stream.flush()


def _read_message(stream: IO[bytes]) -> bytes | None:
    """The next message, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The worker's side: answer each spec on stdin with its SVG (or the error) on stdout."""
    import vl_convert as vlc

    vlc.vegalite_to_svg(_WARM_UP)
    while (message := _read_message(stdin)) is not None:
        try:
            # A dict, not the JSON text: vl-convert's own JSON parser may round a float differently.
            reply = _OK + vlc.vegalite_to_svg(json.loads(message)).encode("utf-8")
        except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError from Rust
            reply = _FAILED + str(exc).encode("utf-8")
        _write_message(stdout, reply)


def main() -> None:
    """Run as the worker process, replying on a copy of stdout.

    Standard output itself goes to stderr, so that nothing else printed (vl-convert's
    JavaScript console, say) can mix with the replies.
    """
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
