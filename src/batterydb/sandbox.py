"""Running an untrusted user's SQL in a worker process that the operating system holds to its limits.

DuckDB's own ``memory_limit`` governs its buffer pool only: single values
such as ``repeat('x', 3000000000)`` or ``range(0, 500000000)`` are allocated
outside it (5.8 GB and 17.8 GB measured), and a running function cannot be
interrupted. So an untrusted session does not run SQL in the caller's
process. Each ``Database(untrusted=True)`` owns one worker process, started
on first use, which

- caps its own address space (``RLIMIT_AS``) before it imports DuckDB, so an
  allocation past the cap fails inside DuckDB as an ordinary out-of-memory
  error instead of growing the host;
- opens the file read-only with external access, extensions and spilling off,
  DuckDB's memory and thread limits set and the configuration locked;
- runs every request in a fresh cursor, closed afterwards, so that a temp
  macro or view, ``USE`` or ``SET search_path`` lasts for one call only and
  cannot change the answer of the next one;
- refuses to send back an answer larger than ``Limits.result_bytes``.

The caller waits at most ``Limits.timeout`` seconds for an answer, then
kills the worker; ``interrupt()`` kills it at once. A worker that dies (the
kernel's verdict on a runaway query, or a crash) only ends that query; the
next call starts a new one. Answers travel as pickles of plain values, read
back by an unpickler that accepts only the value types DuckDB produces.
"""

from __future__ import annotations

import ast
import io
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import QueryError, first_line

_GIB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """The hard limits of an untrusted session; every one can be changed per ``connect``.

    ``memory`` is DuckDB's memory limit; the worker's whole address space is
    capped at ``memory`` plus ``headroom`` (the interpreter and DuckDB's own
    code take about 0.8 GB of it).
    """

    memory: str = "2GB"
    headroom: str = "1.5GB"
    threads: int = 2
    timeout: float = 30.0            # seconds a single call may run
    result_bytes: int = 256 << 20    # largest answer sent back, as pickled

    def address_space(self) -> int:
        return _bytes(self.memory) + _bytes(self.headroom)


def _bytes(size: str) -> int:
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": _GIB, "TB": 1 << 40}
    text = size.strip().upper().replace("IB", "B")
    for unit, factor in units.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


def duckdb_config(limits: Limits) -> dict[str, Any]:
    """The DuckDB settings of an untrusted connection (the order matters: external access goes off first)."""
    return {
        "enable_external_access": False,   # no read_csv, COPY, ATTACH, ... on the host's files
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "allow_community_extensions": False,
        "memory_limit": limits.memory,
        "threads": limits.threads,
        "temp_directory": "",              # never spill to the host's disk
        "lock_configuration": True,        # nothing above can be SET back
    }


# -- the wire: length-prefixed pickles over the worker's stdin and stdout ---------------------------

_SAFE = {
    ("decimal", "Decimal"), ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"), ("uuid", "UUID"), ("builtins", "set"),
    ("builtins", "frozenset"), ("builtins", "bytearray"), ("builtins", "complex"),
}


class _ValuesOnly(pickle.Unpickler):
    """Reads back plain values only: a worker's answer can never make the caller import or call anything else."""

    def find_class(self, module: str, name: str):
        if (module, name) in _SAFE:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the worker sent a {module}.{name}, which is not a plain value")


def _pickled(message: object) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _send(stream, data: bytes) -> None:
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- the caller's side ------------------------------------------------------------------------------

#: What a worker writes once it has opened the file, before its first answer.
READY = b"R"
#: Seconds a worker may take to start (Python, DuckDB, opening the file) before it is given up.
STARTUP_S = 60.0

class Worker:
    """One worker process for one untrusted ``Database``; calls from several threads take turns."""

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopped_by: str | None = None

    def _start(self) -> subprocess.Popen:
        """The worker, started when there is none; it says it is ready once it has opened the file.

        Starting Python and DuckDB can take seconds on a busy machine, and
        that is not the query's time: the statement timeout starts counting
        once the worker is ready.
        """
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from batterydb.sandbox import main; main()", str(self.path),
                 repr(asdict(self.limits))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
            try:
                _read_exactly(self._process.stdout.fileno(), len(READY), time.monotonic() + STARTUP_S)
            except TimeoutError:
                self._kill()
                raise QueryError(f"the untrusted session's worker process did not start within {STARTUP_S:g} s") \
                    from None
            except (EOFError, OSError):
                reason = self._death(self._process)
                self._kill()
                raise QueryError(reason) from None
        return self._process

    def run(self, sql: str, params: dict | list | None) -> tuple[list[str], list[str], list[tuple]]:
        """The columns, types and rows of ``sql``; DuckDB's error, a timeout or a dead worker as ``QueryError``."""
        with self._lock:
            self._stopped_by = None
            process = self._start()
            deadline = time.monotonic() + self.limits.timeout
            try:
                _send(process.stdin, _pickled((sql, params)))
                size = struct.unpack("!Q", _read_exactly(process.stdout.fileno(), 8, deadline))[0]
                answer = _ValuesOnly(io.BytesIO(_read_exactly(process.stdout.fileno(), size, deadline))).load()
            except TimeoutError:
                self._kill()
                raise QueryError(f"the query was stopped after {self.limits.timeout:g} s, the statement timeout "
                                 "of untrusted sessions") from None
            except (EOFError, BrokenPipeError, OSError):
                reason = self._stopped_by or self._death(process)
                self._kill()
                raise QueryError(reason) from None
            except BaseException:  # Ctrl-C while waiting: the worker's late answer must not reach the next call
                self._kill()
                raise
        if answer[0] == "error":
            raise QueryError(answer[1])
        return answer[1], answer[2], answer[3]

    def _death(self, process: subprocess.Popen) -> str:
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        how = (f"signal {signal.Signals(-status).name}" if status is not None and status < 0
               else f"exit status {status}")
        return (f"the query ended the untrusted session's worker process ({how}); it may have gone over the "
                f"session's memory cap of {self.limits.memory}. The next query starts a new worker")

    def interrupt(self) -> None:
        """Stop the running query, if any, from another thread."""
        if self._process is not None and self._process.poll() is None:
            self._stopped_by = "the query was interrupted"
            self._process.kill()

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                stream.close()
            self._process = None

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                try:
                    self._process.stdin.close()  # the worker ends when its input does
                    self._process.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._kill()


# -- the worker's side ------------------------------------------------------------------------------

def _serve(path: str, limits: Limits) -> None:
    import duckdb  # only now, under the address-space cap

    try:
        con = duckdb.connect(path, read_only=True, config=duckdb_config(limits))
    except duckdb.Error as exc:  # said to the caller, as the answer to every request, not as a traceback
        con, refusal = None, _pickled(("error", first_line(exc)))
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    answers.write(READY)
    answers.flush()
    while True:
        head = requests.read(8)
        if len(head) < 8:
            return
        sql, params = pickle.loads(requests.read(struct.unpack("!Q", head)[0]))  # from our own caller
        if con is None:
            _send(answers, refusal)
            continue
        cursor = con.cursor()
        try:
            relation = cursor.sql(sql, params=params or None)
            if relation is None:
                answer: tuple = ("ok", [], [], [])
            else:
                answer = ("ok", list(relation.columns), [str(t) for t in relation.types], relation.fetchall())
            data = _pickled(answer)
            if len(data) > limits.result_bytes:
                data = _pickled(("error", f"the answer is larger than the untrusted session's result limit of "
                                          f"{limits.result_bytes >> 20} MB; add a LIMIT or aggregate"))
        except duckdb.OutOfMemoryException as exc:
            data = _pickled(("error", f"{first_line(exc)} (an untrusted session may use "
                                      f"{limits.memory} and cannot spill to disk)"))
        except duckdb.Error as exc:
            data = _pickled(("error", str(exc)))
        except MemoryError:
            data = _pickled(("error", f"Out of Memory Error: the answer does not fit in the session's memory "
                                      f"cap of {limits.memory}"))
        finally:
            cursor.close()
        _send(answers, data)


def main() -> None:
    path, limits = sys.argv[1], Limits(**ast.literal_eval(sys.argv[2]))
    cap = limits.address_space()
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C at the caller's terminal is the caller's to handle
    _serve(path, limits)
