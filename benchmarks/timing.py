"""Timing and memory measures shared by the benchmarks (run from the project root: ``python benchmarks/NAME.py``)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best_time(action: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs (seconds) and the result of the last one."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory_bytes() -> int:
    """The process's peak resident memory so far, in bytes.

    Linux's ``VmHWM`` (the high-water mark of this process's own memory) where there is
    one: ``ru_maxrss`` survives ``exec`` and would give a benchmark child the peak of the
    process that started it. Elsewhere ``ru_maxrss`` (kilobytes on Linux, bytes on macOS).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
