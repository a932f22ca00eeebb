"""What long work is doing, as it goes: stages and counters, told through the ``batterydb`` logger.

A stage is one INFO record naming the step of a pipeline that starts now
("loading 40 tables (691 rows)"). A counter follows a stage that has many
steps; each step it counts is one record carrying ``progress = (done,
total)``: DEBUG records, except, once the stage has run for more than a
second (``SLOW``), the steps that cross a quarter of the total, which are
INFO. So a program that logs at INFO sees each stage, and at most three
counter lines after a slow one; one that logs at DEBUG sees every step.

A library user sees nothing unless they configure logging. The command line
shows the records on stderr through ``to_stderr``: at a terminal the counter
is one line redrawn in place (and erased when it completes); elsewhere (a
pipe, a file, CI) only the INFO records are printed, one line each, so a
stage never takes more than a few lines.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

log = logging.getLogger("batterydb")

T = TypeVar("T")

#: Counter steps that cross one of these fractions of the total are INFO (in a slow stage); the others DEBUG.
CHECKPOINTS = (1 / 4, 2 / 4, 3 / 4)
#: Seconds a stage runs before its checkpoints are INFO: a quick stage is one line wherever it is shown.
SLOW = 1.0

_clock = time.monotonic


def stage(message: str) -> None:
    """Say that a step of the work starts now."""
    log.info(message)


class Counter:
    """Counts the steps of a stage, telling them as ``<label> <done>/<total>``.

    A step is told only when it moves the count by at least 1% of the total,
    so that counting a million rows costs a hundred records, not a million.
    """

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 0), 0
        self._started = _clock()
        self._marks = sorted({m for f in CHECKPOINTS if 0 < (m := math.ceil(self.total * f)) < self.total})
        self._step = max(1, math.ceil(self.total / 100))
        self._next = min(self._step, self.total)

    def add(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self.done >= self._next:  # else too little has changed to tell
            self._tell()

    def _tell(self) -> None:
        crossed = False
        while self._marks and self._marks[0] <= self.done:
            crossed = self.done < self.total
            self._marks.pop(0)
        slow = crossed and _clock() - self._started > SLOW
        self._next = min([self.done + self._step, self.total] + self._marks[:1]) if self.done < self.total else math.inf
        log.log(logging.INFO if slow else logging.DEBUG, "%s %s/%s", self.label, f"{self.done:,}",
                f"{self.total:,}", extra={"progress": (self.done, self.total)})


def counted(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """The items, counted as each is done (when the loop comes back for the next, or ends)."""
    items = list(items) if total is None else items
    counter = Counter(label, len(items) if total is None else total)
    for item in items:
        yield item
        counter.add()


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 table``, ``40 tables``, ``1,085,006 rows``."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


class StderrHandler(logging.Handler):
    """``batterydb: message`` lines on whatever ``sys.stderr`` is when a record arrives.

    At a terminal, counter steps redraw one line with a carriage return;
    elsewhere DEBUG records (counter steps between the checkpoints) are left
    out.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._drawn = False  # a counter line is on the screen, without its newline

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            terminal = stream.isatty()
            step = getattr(record, "progress", None)
            if record.levelno < logging.INFO and not (terminal and step is not None):
                return
            text = f"batterydb: {record.getMessage()}"
            if terminal and step is not None:
                done, total = step
                stream.write("\r\x1b[K" + ("" if done >= total else text))
                self._drawn = done < total
            else:
                self._erase(stream)
                stream.write(text + "\n")
            stream.flush()
        except Exception:  # pragma: no cover - as logging.StreamHandler does
            self.handleError(record)

    def finish(self) -> None:
        """Erase a counter line left on the screen (the work stopped half-way), before anything else prints."""
        self._erase(sys.stderr)

    def _erase(self, stream) -> None:
        if self._drawn:
            stream.write("\r\x1b[K")
            stream.flush()
            self._drawn = False


_shown: list[StderrHandler] = []  # the handlers ``to_stderr`` has on the logger now


def pause() -> None:
    """Erase a counter line drawn on the terminal, so that what is printed next starts a line of its own."""
    for handler in _shown:
        handler.finish()


@contextmanager
def to_stderr(level: int = logging.INFO) -> Iterator[StderrHandler]:
    """Show the ``batterydb`` logger's records from ``level`` up on stderr while the block runs.

    DEBUG shows every counter step at a terminal (and only the INFO records
    elsewhere); WARNING hides the progress. The logger is put back as it was
    afterwards, so that a program calling ``cli.main`` keeps its own logging.
    """
    handler = StderrHandler()
    saved = log.level, log.propagate
    log.addHandler(handler)
    _shown.append(handler)
    log.setLevel(level)
    log.propagate = False
    try:
        yield handler
    finally:
        handler.finish()
        _shown.remove(handler)
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]
