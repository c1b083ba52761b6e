"""Plain-text progress on stderr: one line per step (at most every two seconds) and phase timings."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``needs 120,000/1,000,000 (12 %) 4.2 s`` lines for the running phase, and each phase's time."""

    def __init__(self, out: TextIO = sys.stderr, every: float = 2.0) -> None:
        self.out = out
        self.every = every
        self.started = time.monotonic()
        self.phases: list[tuple[str, float]] = []
        self._phase = ""
        self._phase_started = self.started
        self._last = 0.0

    def phase(self, name: str) -> None:
        """Close the running phase (recording its time) and start ``name``."""
        self.end_phase()
        self._phase = name
        self._phase_started = self._last = time.monotonic()
        print(f"{name} …", file=self.out, flush=True)

    def end_phase(self) -> None:
        if self._phase:
            self.phases.append((self._phase, time.monotonic() - self._phase_started))
            self._phase = ""

    def step(self, what: str, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        share = 100 * done / total if total else 100
        print(
            f"  {what} {done:,}/{total:,} ({share:.0f} %) {now - self._phase_started:.1f} s",
            file=self.out,
            flush=True,
        )

    @property
    def total_seconds(self) -> float:
        return time.monotonic() - self.started
