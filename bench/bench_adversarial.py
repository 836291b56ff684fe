"""Time and memory of compile_text on growing plans and on inputs built to hurt.

1. Growth: plan text from 1 KB to 10 MB (the two sample plans repeated, cut at a line end);
   seconds, microseconds per KB and peak memory (each size in its own process) should grow
   in step with the size.
2. Adversarial inputs of about 1 MB each (regex backtracking bait, pathological nesting,
   endless lines): seconds, and seconds per MB of UTF-8 input.
3. Dense inputs as whole processes (``planc parse`` to YAML and to JSON, caps raised): CPU
   seconds and peak memory, each per MB of input, beside the targets of issue #13 (at most
   2 s and 400 MB per MB). CPU time, not wall time, so that a busy machine skews it less.

    .venv/bin/python bench/bench_adversarial.py            # all three tables
    .venv/bin/python bench/bench_adversarial.py --quick    # sizes up to 1 MB only
    .venv/bin/python bench/bench_adversarial.py --dense    # the third table alone
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from measure import process  # noqa: E402

from planc.compile import compile_text  # noqa: E402
from planc.parse import parse  # noqa: E402

SAMPLES = [ROOT / "sources" / "2023" / f"{name}-tcm-2023.txt" for name in ("nanyang", "neimenggu")]
SIZES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000]  # bytes of UTF-8


def plan_text(size: int) -> str:
    """About ``size`` bytes of real plan text: the samples over and over, cut at a line end."""
    base = "".join(path.read_text(encoding="utf-8") for path in SAMPLES)
    data = base.encode("utf-8")
    data = data * (size // len(data) + 1)
    cut = data.rfind(b"\n", 0, size) + 1 or size
    return data[:cut].decode("utf-8")


MB = 1_000_000
# Long lines sit in a clause body ("一、…"), where the extractors read them too.
ADVERSARIAL: dict[str, Callable[[], str]] = {
    "100,000 （一） on one line": lambda: "（一）" * 100_000,
    "100,000 （一） lines (100,000 clauses)": lambda: "（一）\n" * 100_000,
    "1 MB line of digits and %": lambda: "一、" + ("1234567%" * (MB // 8)),
    "1 MB line of 9s": lambda: "一、" + "9" * MB,
    "100,000 nested labels on one line": lambda: "一、（一）1.（1）①" * 100_000,
    "100,000 nested labels, one a line": lambda: "一、\n（一）\n1.\n（1）\n①\n" * 20_000,
    "1 MB line, no punctuation (CJK)": lambda: "一、" + "中" * (MB // 3),
    "1 MB front-matter line, no punctuation": lambda: "中" * (MB // 3) + "\n一、x\n",
    "1 MB of spaces in a front-matter line": lambda: "某" + " " * MB + "某\n一、x\n",
    "1 MB of spaces in a clause": lambda: "一、某" + " " * MB + "负责\n",
    "1 MB of 2023年": lambda: "一、" + "2023年" * (MB // 7),
    "1 MB of dashes": lambda: "-" * MB,
    "1 MB of open brackets": lambda: "一、" + "（" * (MB // 3),
    "100,000 '1.' on one line": lambda: "1." * 100_000,
    "1 MB of 5月底前 and 80%以上": lambda: "一、" + "5月底前完成80%以上" * (MB // 24),
    "1 MB of units (局、委、政府)": lambda: (
        "一、" + "市卫健委、市医保局、各县（市、区）政府" * (MB // 57)
    ),
    "1 MB of 牵头 and 负责": lambda: "一、" + "市卫健委牵头，市医保局负责" * (MB // 39),
    "200,000 blank lines": lambda: "\n" * 200_000 + "一、x\n",
    "45,000 clauses ending in CR only": lambda: "一、做好工作。\r" * (MB // 22),
}


# Dense inputs, each with far more clauses or items per byte than a plan has: issue #13's
# targets hold for every output format.
DENSE: dict[str, Callable[[], str]] = {
    "100,000 （一） lines": lambda: "（一）\n" * 100_000,
    "1 MB of 1-2%-3-4%-": lambda: "一、" + "1-2%-3-4%-" * (MB // 10),
    "1 MB of digits and %": lambda: "一、" + ("1234567%" * (MB // 8)),
    "100,000 nested labels, one a line": lambda: "一、\n（一）\n1.\n（1）\n①\n" * 20_000,
    "1 MB of 牵头 and 负责": lambda: "一、" + "市卫健委牵头，市医保局负责" * (MB // 39),
    "1 MB of ，牵头": lambda: "一、" + "，牵头" * (MB // 7),
    "1 MB of 2023年": lambda: "一、" + "2023年" * (MB // 7),
    "200,000 blank lines": lambda: "\n" * 200_000 + "一、x\n",
}
DENSE_SECONDS_PER_MB = 2.0
DENSE_PEAK_MB_PER_MB = 400.0
RAISED_CAPS = ["--max-clauses", "200000", "--max-items", "1000000"]


def dense() -> None:
    """Each dense input through ``planc parse`` as a process, to YAML and to JSON."""
    planc = str(Path(sys.executable).with_name("planc"))
    print("\nDense inputs: planc parse as a process (caps raised), CPU seconds and peak memory")
    print(f"{'input':<36} {'MB':>5} {'format':>6} {'s/MB':>6} {'MB/MB':>6}  (<= 2 s, 400 MB)")
    with tempfile.TemporaryDirectory(prefix="planc-dense-") as tmp:
        for name, make in DENSE.items():
            source = Path(tmp) / "dense.txt"
            source.write_text(make(), encoding="utf-8")
            size = source.stat().st_size / MB
            for fmt in ("yaml", "json"):
                command = [planc, "parse", str(source), "-o", str(Path(tmp) / f"out.{fmt}")]
                seconds, peak = _process(command + RAISED_CAPS)
                per_mb, peak_per_mb = seconds / size, peak / size
                ok = per_mb <= DENSE_SECONDS_PER_MB and peak_per_mb <= DENSE_PEAK_MB_PER_MB
                print(
                    f"{name:<36} {size:>5.2f} {fmt:>6} {per_mb:>6.2f} {peak_per_mb:>6.0f}"
                    f"  {'PASS' if ok else 'FAIL'}",
                    flush=True,
                )


def _process(command: list[str]) -> tuple[float, float]:
    """CPU seconds (user and system) and peak resident MB of one run of ``command``."""
    measured = process(command)
    if measured.code != 0:
        sys.exit(f"bench: {' '.join(command)} failed: {measured.stderr.strip()}")
    return measured.cpu, measured.peak_mb


def one(size: int) -> dict[str, float]:
    """Compile one size in this process: seconds to parse, to compile, and peak memory."""
    text = plan_text(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    parse(text)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    plan = compile_text(text)
    compiled = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "bytes": len(text.encode("utf-8")),
        "clauses": sum(1 for _ in plan.walk()),
        "parse": parsed,
        "compile": compiled,
        "peak_mb": after / 1024,
        "growth_mb": (after - before) / 1024,
    }


def growth(sizes: list[int]) -> None:
    print("Growth: compile_text on real plan text (each size in a fresh process)")
    print(
        f"{'size':>10} {'clauses':>8} {'parse s':>8} {'compile s':>10} {'µs/KB':>7} {'peak MB':>8}"
    )
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True
        )
        row = json.loads(out.stdout)
        per_kb = row["compile"] / (row["bytes"] / 1000) * 1e6
        print(
            f"{row['bytes']:>10,} {row['clauses']:>8,} {row['parse']:>8.3f} "
            f"{row['compile']:>10.3f} {per_kb:>7.0f} {row['peak_mb']:>8.0f}"
        )


def adversarial() -> None:
    print("\nAdversarial inputs: compile_text (parse, metadata, extractors, model)")
    print(f"{'input':<40} {'MB':>5} {'clauses':>8} {'seconds':>8} {'s/MB':>6}")
    for name, make in ADVERSARIAL.items():
        text = make()
        size = len(text.encode("utf-8")) / MB
        started = time.perf_counter()
        plan = compile_text(text)
        seconds = time.perf_counter() - started
        clauses = sum(1 for _ in plan.walk())
        print(f"{name:<40} {size:>5.2f} {clauses:>8,} {seconds:>8.3f} {seconds / size:>6.2f}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(int(sys.argv[2]))))
        return
    if "--dense" in sys.argv:
        dense()
        return
    quick = "--quick" in sys.argv
    growth([s for s in SIZES if not quick or s <= 1_000_000])
    adversarial()
    dense()


if __name__ == "__main__":
    main()
