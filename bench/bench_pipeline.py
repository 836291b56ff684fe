"""Speed and memory of the whole pipeline, each figure printed beside its target.

    .venv/bin/python bench/bench_pipeline.py [--plans 1000]

Measures ``planc parse`` as a whole process, in-process parse + extraction throughput, and
``planc build`` of a folder of plans generated from the samples (serial, parallel, and an
incremental rebuild). Exits 1 if a target is missed. Takes about a minute and a half.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANC = str(Path(sys.executable).with_name("planc"))
SAMPLES = sorted((ROOT / "sources").rglob("*.txt"))
failures = 0


def report(what: str, figure: str, target: str = "", ok: bool | None = None) -> None:
    global failures
    verdict = "" if ok is None else "PASS" if ok else "FAIL"
    failures += ok is False
    print(f"{what:<38} {figure:>12}   {target:<16} {verdict}", flush=True)


def wall(command: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    """Seconds of one run of ``command`` as a process; and what it printed."""
    started = time.perf_counter()
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({run.returncode}): {run.stderr.strip()}")
    return seconds, run.stdout


def median_wall(command: list[str], runs: int = 7) -> float:
    wall(command)  # warm the file cache
    return statistics.median(wall(command)[0] for _ in range(runs))


def bench_start_up() -> None:
    sample = str(SAMPLES[0].relative_to(ROOT))
    parse = median_wall([PLANC, "parse", sample])
    python = median_wall([sys.executable, "-c", "pass"])
    report(f"planc parse {SAMPLES[0].name}", f"{parse:.3f} s", "< 0.400 s", parse < 0.4)
    report("  as a ratio to python -c pass", f"{parse / python:.1f}x", f"({python:.3f} s)")


def bench_throughput() -> None:
    from planc.compile import compile_text

    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    for text in texts:
        compile_text(text)  # the extractors build their tables on first use
    size = sum(len(text.encode("utf-8")) for text in texts)
    rounds, started = 0, time.perf_counter()
    while time.perf_counter() - started < 3:
        for text in texts:
            compile_text(text)
        rounds += 1
    rate = size * rounds / (time.perf_counter() - started) / 1024
    report("in-process parse + extraction", f"{rate:,.0f} KB/s", ">= 1,024 KB/s", rate >= 1024)


def generate(folder: Path, count: int) -> int:
    """``count`` plans, ten years of each sample: years and one preamble line vary."""
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    size = 0
    for index in range(count):
        year = 2014 + index % 10
        text = texts[index % len(texts)].replace("2023", str(year))
        title, rest = text.split("\n", 1)
        data = f"{title}\n（第{index + 1}份，{year}年印发）\n{rest}".encode()
        target = folder / str(year) / f"plan-{index:04}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        size += len(data)
    return size


def build(sources: Path, out: Path, *options: str) -> tuple[float, str]:
    seconds, printed = wall([PLANC, "build", str(sources), "-o", str(out), *options])
    return seconds, next(line for line in printed.splitlines() if " compiled, " in line)


def compiled(headline: str) -> int:
    match = re.search(r"(\d+) compiled, (\d+) unchanged, (\d+) failed", headline)
    assert match, headline
    return int(match[1])


def bench_build(count: int) -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="planc-bench-") as tmp:
        sources = Path(tmp) / "sources"
        size = generate(sources, count)
        print(f"({count:,} plans, {size / 1e6:.1f} MB, {cores} cores)", flush=True)
        # Best of two, alternating: another program's burst of work slows one run, not both.
        times: dict[str, list[float]] = {"-j1": [], "-j2": []}
        for _ in range(2):
            for option, runs in times.items():
                out = Path(tmp) / f"out{option}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, line = build(sources, out, option)
                assert compiled(line) == count, line
                runs.append(seconds)
        serial, parallel = min(times["-j1"]), min(times["-j2"])
        speedup = serial / parallel
        report(
            f"planc build {count:,} plans -j1", f"{serial:.1f} s", f"{count / serial:.0f} plans/s"
        )
        report(
            f"planc build {count:,} plans -j2",
            f"{parallel:.1f} s",
            f"{count / parallel:.0f} plans/s",
        )
        report("  speed-up -j2 over -j1", f"{speedup:.2f}x", ">= 1.70x", speedup >= 1.7)
        if cores > 2:
            most, _ = build(sources, Path(tmp) / "outN", f"-j{cores}")
            report(
                f"planc build {count:,} plans -j{cores}", f"{most:.1f} s", f"{serial / most:.2f}x"
            )
        again, line = build(sources, Path(tmp) / "out-j2")
        assert compiled(line) == 0, line
        report("rebuild, nothing changed", f"{again:.3f} s", "< 2 s", again < 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000, help="plans to build (1000)")
    plans = parser.parse_args().plans
    if not SAMPLES:
        sys.exit(f"bench: no sample plans in {ROOT / 'sources'}")
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"(load average {load:.1f}: another program is busy; wall times will suffer)")
    bench_start_up()
    bench_throughput()
    bench_build(plans)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    report("peak memory of one process", f"{peak:.0f} MB", "< 200 MB", peak < 200)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
