"""Whole-process measurements for the bench scripts: wall time and peak memory of one run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PLANC = str(Path(sys.executable).with_name("planc"))


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds and peak resident MB of one run of ``command`` (its output is dropped)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode() if child.stderr else ""
    if child.returncode not in (0, 1):  # diff exits 1 when the plans differ
        sys.exit(f"bench: {' '.join(command)} failed ({child.returncode}): {stderr.strip()}")
    return seconds, usage.ru_maxrss / 1024  # KB on Linux


def median_run(command: list[str], runs: int = 5, cwd: Path | None = None) -> tuple[float, float]:
    """Median seconds of ``runs`` runs (after one to warm the file cache) and the peak MB."""
    run(command, cwd)
    results = [run(command, cwd) for _ in range(runs)]
    return statistics.median(s for s, _ in results), max(mb for _, mb in results)


def python_start(runs: int = 7) -> float:
    """Median seconds of ``python -c pass``: start-up figures are given as ratios to it."""
    return median_run([sys.executable, "-c", "pass"], runs)[0]
