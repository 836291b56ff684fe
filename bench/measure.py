"""Whole-process measurements for the bench scripts: wall time and peak memory of one run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

PLANC = str(Path(sys.executable).with_name("planc"))


# A child's ru_maxrss starts from the parent's peak (Linux carries it across fork and exec), so
# a bench that grew before would show in every figure: a planc command reports its own
# high-water mark (VmHWM) through the file $PLANC_BENCH_STATS instead.
RUNNER = """
import os, sys
from planc.cli import main
try:
    main()
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["PLANC_BENCH_STATS"], "w") as handle:
        handle.write(peak)
"""


class Measured(NamedTuple):
    seconds: float  # wall
    cpu: float  # user and system
    peak_mb: float
    code: int
    stderr: str


def process(command: list[str], cwd: Path | None = None) -> Measured:
    """One run of ``command`` as a process (its output dropped); ``planc`` runs as RUNNER."""
    env = None
    stats = ""
    if command[0] == PLANC and Path("/proc/self/status").exists():
        handle, stats = tempfile.mkstemp(prefix="planc-bench-")
        os.close(handle)
        command = [sys.executable, "-c", RUNNER, *command[1:]]
        env = dict(os.environ, PLANC_BENCH_STATS=stats)
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    stderr = child.stderr.read().decode() if child.stderr else ""
    peak = usage.ru_maxrss / 1024  # KB on Linux
    if stats:
        written = Path(stats).read_text()
        Path(stats).unlink()
        peak = int(written) / 1024 if written else peak
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu, peak, os.waitstatus_to_exitcode(status), stderr)


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds and peak resident MB of one run of ``command``; exits the bench if it fails."""
    measured = process(command, cwd)
    if measured.code not in (0, 1):  # diff exits 1 when the plans differ
        failed = f"{' '.join(command)} failed ({measured.code})"
        sys.exit(f"bench: {failed}: {measured.stderr.strip()}")
    return measured.seconds, measured.peak_mb


def median_run(command: list[str], runs: int = 5, cwd: Path | None = None) -> tuple[float, float]:
    """Median seconds of ``runs`` runs (after one to warm the file cache) and the peak MB."""
    run(command, cwd)
    results = [run(command, cwd) for _ in range(runs)]
    return statistics.median(s for s, _ in results), max(mb for _, mb in results)


def python_start(runs: int = 7) -> float:
    """Median seconds of ``python -c pass``: start-up figures are given as ratios to it."""
    return median_run([sys.executable, "-c", "pass"], runs)[0]
