"""Stopping an extraction part way: a pasted article can keep a core busy for seconds, and
nobody should pay for a run whose reader has left or asked for another.

The extractor calls a `check` between sentences and between drafts; the check raises to
stop. Nothing the extractor builds is visible until it returns, so a stopped run leaves
nothing half-done: the caller keeps what it had before.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Cancelled(Exception):
    """The extraction was stopped before it finished; `reason` says why, for the screen."""

    def __init__(self, reason: str = "cancelled", seconds: float = 0.0):
        super().__init__(reason)
        self.reason = reason
        #: how long the run had been going when it stopped
        self.seconds = seconds


def never() -> None:
    """The check of a run nobody stops (the CLI, the benchmark, the tests)."""


class CancelToken:
    """A check for :func:`dashboard.extract.extract`: stops the run when `cancel()` was
    called, when `seconds` have passed since the token was made, or when `stop()` says so.

    `stop` is asked on every check, so it must be cheap (a flag or a dictionary lookup); it
    may return a reason (a true value) or raise its own exception, which passes through the
    extractor untouched (Streamlit's own stop and rerun signals do).
    """

    def __init__(
        self,
        seconds: float | None = None,
        stop: Callable[[], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._clock = clock
        self.started = clock()
        self.deadline = None if seconds is None else self.started + seconds
        self._stop = stop
        self._reason: str | None = None
        #: how many times the extractor asked: a test's measure of how often it looks
        self.checks = 0

    def cancel(self, reason: str = "cancelled") -> None:
        self._reason = reason

    def elapsed(self) -> float:
        return self._clock() - self.started

    def __call__(self) -> None:
        self.checks += 1
        if self._reason is None and self._stop is not None:
            why = self._stop()
            if why:
                self._reason = str(why) if isinstance(why, str) else "stopped"
        if self._reason is None and self.deadline is not None and self._clock() > self.deadline:
            self._reason = "time budget"
        if self._reason is not None:
            raise Cancelled(self._reason, self.elapsed())
