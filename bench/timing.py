"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(label: str, action: Callable[[], object], repeat: int = 20) -> float:
    """Run ``action`` once to warm up, then ``repeat`` times; print and return the median in ms."""
    action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(
        f"{label:<55} median {median:8.2f} ms   p90 {sorted(samples)[int(0.9 * (repeat - 1))]:8.2f} ms   (n={repeat})"
    )
    return median


def line(label: str, value: str) -> None:
    """One labelled figure, aligned with the others."""
    print(f"  {label:<53} {value}")
