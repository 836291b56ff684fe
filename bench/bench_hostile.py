"""Time and peak memory of whole commands on the densest input the caps let through, and on
input the caps refuse (issue 14: no input up to the default --max-bytes may take more than
2 GB or 60 s).

Each row is one `planc` command in a fresh process, as a user runs it: read, compile, render
and write (or refuse). Peak memory is the process's maximum resident set.

    .venv/bin/python bench/bench_hostile.py
    .venv/bin/python bench/bench_hostile.py --quick    # skip the 50 MB inputs
    .venv/bin/python bench/bench_hostile.py --only "no item"    # the inputs so named
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from measure import RUNNER  # noqa: E402

from planc.limits import DEFAULT_MAX_CLAUSES, DEFAULT_MAX_DIFF_CLAUSES  # noqa: E402
from planc.source import DEFAULT_MAX_BYTES  # noqa: E402


def fill(unit: str, size: int, head: str = "") -> str:
    """``unit`` repeated to about ``size`` bytes of UTF-8, after ``head``."""
    return head + unit * max(1, (size - len(head.encode())) // len(unit.encode()))


def numbered(count: int) -> str:
    """A plan of exactly ``count`` clauses: 1. 2. 3. …, each with up to 99 （1）（2）… below."""
    lines, group, child = [], 0, 99
    while len(lines) < count:
        if child == 99:
            group, child = group + 1, 0
            lines.append(f"{group}.第{group}组工作\n")
        else:
            child += 1
            lines.append(f"（{child}）做好第{len(lines)}项工作。\n")
    return "".join(lines)


FULL = DEFAULT_MAX_BYTES - 1_000  # just under the default --max-bytes
CASES: dict[str, tuple[Callable[[], str], bool]] = {  # name: (text, is 50 MB)
    "50 MB of （一） lines (5 M clauses)": (lambda: fill("（一）\n", FULL), True),
    "50 MB of 1-2%-3-4%- in one clause": (lambda: fill("1-2%-3-4%-", FULL, "一、"), True),
    "50 MB of blank lines": (lambda: fill("\n", FULL, "一、x\n"), True),
    "50 MB line, no punctuation, in a clause": (lambda: fill("中", FULL, "一、"), True),
    "999,999 characters in a clause (the cap)": (lambda: fill("中", 2_999_990, "一、"), False),
    "20 MB of （一） lines": (lambda: fill("（一）\n", 20_000_000), True),
    "1 MB of 1-2%-3-4%- in one clause": (lambda: fill("1-2%-3-4%-", 1_000_000, "一、"), False),
    f"{DEFAULT_MAX_CLAUSES:,} （一） lines (the cap)": (
        lambda: "（一）\n" * DEFAULT_MAX_CLAUSES,
        False,
    ),
    "9,980 targets in 10 clauses (near the item cap)": (
        lambda: "".join(f"{n}.提高" + "1-2%-3-4%-" * 499 + "\n" for n in range(1, 11)),
        False,
    ),
    "200,000 short lines in 10,000 clauses (the line cap)": (
        lambda: "".join(f"（{n % 99 + 1}）做好工作\n" + "中文\n" * 19 for n in range(10_000)),
        False,
    ),
    "2 MB of a real plan": (lambda: real_plan(2_000_000), False),
    "10 MB of a real plan (31,000 clauses)": (lambda: real_plan(10_000_000), True),
    "50 MB of real plan prose in 10,000 clauses": (lambda: real_prose(FULL, 10_000), True),
    "50 MB of prose with no item in 10,000 clauses": (
        lambda: "".join(
            f"（{n % 99 + 1}）" + "推进各项工作落实，" * 180 + "\n" for n in range(10_000)
        ),
        True,
    ),
}


def real_plan(size: int) -> str:
    base = "".join(
        (ROOT / "sources" / "2023" / f"{name}-tcm-2023.txt").read_text(encoding="utf-8")
        for name in ("nanyang", "neimenggu")
    )
    return fill(base, size)


def real_prose(size: int, clauses: int) -> str:
    """Real plan sentences, two to a line and no label of their own, under ``clauses`` evenly
    spaced labels: as much text as the line cap lets through."""
    kept = [line for line in real_plan(size).splitlines() if line.strip()]
    lines = [f"注{a}{b}" for a, b in zip(kept[::2], kept[1::2], strict=False)]  # under 20 a clause
    every = max(1, len(lines) // clauses)
    out = []
    for index, line in enumerate(lines):
        if index % every == 0 and index // every < clauses:
            group = index // every
            out.append(f"{group % 99 + 1}.第{group}项\n" if group % 100 else f"第{group}部分\n")
        out.append(line + "\n")
    return "".join(out).encode("utf-8")[:size].decode("utf-8", "ignore")


def run(*args: str) -> tuple[int, float, float, str]:
    """Exit code, seconds, peak MB and the last line of stderr of ``planc ARGS``."""
    with tempfile.NamedTemporaryFile(delete=False) as stats:
        path = stats.name
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PLANC_BENCH_STATS=path),
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = int(Path(path).read_text() or 0) / 1024  # VmHWM is in kB
    Path(path).unlink()
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return done.returncode, seconds, peak, last


def row(name: str, megabytes: float, result: tuple[int, float, float, str]) -> dict[str, object]:
    code, seconds, peak, message = result
    what = message.split(": ", 2)[-1][:60] if code >= 2 else "done"
    print(f"| {name} | {megabytes:.1f} | {code} | {seconds:.1f} | {peak:,.0f} | {what} |")
    return {"input": name, "mb": megabytes, "exit": code, "s": seconds, "peak_mb": peak}


def main() -> int:
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    rows = []
    print("| input | MB | exit | seconds | peak MB | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        outputs: dict[str, Path] = {}
        for index, (name, (make, large)) in enumerate(CASES.items()):
            if (quick and large) or only not in name:
                continue
            source = work / f"case{index}.txt"
            source.write_text(make(), encoding="utf-8")
            output = work / f"case{index}.yaml"
            result = run("parse", str(source), "-o", str(output))
            rows.append(row(f"parse: {name}", source.stat().st_size / 1e6, result))
            if result[0] == 0:
                outputs[name] = output
            source.unlink()
        for name, output in outputs.items():
            result = run("validate", str(output))
            rows.append(row(f"validate: {name}", output.stat().st_size / 1e6, result))
        for clauses in (DEFAULT_MAX_DIFF_CLAUSES, DEFAULT_MAX_DIFF_CLAUSES + 1)[: 0 if only else 2]:
            old, new = work / "old.txt", work / "new.txt"
            old.write_text(numbered(clauses), encoding="utf-8")
            new.write_text(numbered(clauses).replace("项工作", "项任务", clauses // 2), "utf-8")
            result = run("diff", str(old), str(new), "-f", "json", "-o", str(work / "d.json"))
            name = f"diff: two plans of {clauses:,} clauses"
            rows.append(row(name, old.stat().st_size / 1e6, result))
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
