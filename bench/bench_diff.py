"""planc diff on a pair of 100-clause plans: time, and share of clauses aligned correctly.

The old plan is 10 sections of 10 items built from the sentences of the bundled sample plans;
the new one is that plan edited with a known answer: items reworded, numbers changed, moved
across sections, split, merged, dropped and added, and everything renumbered. Seeded: the
figures are reproducible. Not a test: run by ``make bench``.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planc.compile import compile_text  # noqa: E402
from planc.diff.align import diff_plans  # noqa: E402
from planc.diff.tokens import tokenize  # noqa: E402

CN = "一二三四五六七八九十"
SECTIONS, ITEMS = 10, 10


def sentences() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "sources" / "2023").glob("*.txt")):
        plan = compile_text(path.read_text(encoding="utf-8"))
        for clause in plan.walk():
            if clause.level > 1:
                found += [
                    s + "。"
                    for s in re.split(r"[。；]", clause.text.replace("\n", ""))
                    if len(s) > 12
                ]
    return found


def render(sections: list[list[str]]) -> str:
    lines, n = ["2023年某市卫生健康工作要点", ""], 0
    for s, items in enumerate(sections):
        lines.append(f"{CN[s] if s < 10 else '十' + CN[s - 10]}、第{s + 1}方面重点工作")
        for item in items:
            n += 1
            lines.append(f"{n}. {item}")
    return "\n".join(lines) + "\n"


def make_pair(rng: random.Random) -> tuple[str, str, dict[int, set[int]]]:
    """Old text, new text, and for each old item the new items it became (empty: dropped)."""
    pool = sentences()
    rng.shuffle(pool)
    items = [pool.pop() + pool.pop() for _ in range(SECTIONS * ITEMS)]
    old = [items[s * ITEMS : (s + 1) * ITEMS] for s in range(SECTIONS)]
    # Each new item: (text, the old items it came from).
    new: list[list[tuple[str, set[int]]]] = [
        [(items[s * ITEMS + i], {s * ITEMS + i}) for i in range(ITEMS)] for s in range(SECTIONS)
    ]
    flat = lambda: [(s, i) for s in range(len(new)) for i in range(len(new[s]))]  # noqa: E731
    for s, i in rng.sample(flat(), 20):  # reword: a number changed, a phrase added
        text, src = new[s][i]
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text, count=1)
        new[s][i] = (text.replace("，", "，进一步", 1), src)
    for s, i in rng.sample(flat(), 5):  # split in two
        text, src = new[s][i]
        parts = text.split("。")
        new[s][i] = ("。".join(parts[:1]) + "。", src)
        new[s].insert(i + 1, ("。".join(parts[1:]), set(src)))
    for _ in range(3):  # merge neighbours
        s = rng.randrange(SECTIONS)
        i = rng.randrange(len(new[s]) - 1)
        (a, sa), (b, sb) = new[s][i], new[s][i + 1]
        if len(sa) == 1 and len(sb) == 1 and sa != sb:
            new[s][i : i + 2] = [(a + b, sa | sb)]
    for _ in range(10):  # move across sections
        s, t = rng.sample(range(SECTIONS), 2)
        new[t].insert(rng.randrange(len(new[t]) + 1), new[s].pop(rng.randrange(len(new[s]))))
    for _ in range(5):  # drop
        s = rng.randrange(SECTIONS)
        new[s].pop(rng.randrange(len(new[s])))
    for _ in range(5):  # add
        s = rng.randrange(SECTIONS)
        new[s].insert(rng.randrange(len(new[s]) + 1), (pool.pop() + pool.pop(), set()))
    truth: dict[int, set[int]] = {k: set() for k in range(len(items))}
    n = 0
    for section in new:
        for _, src in section:
            n += 1
            for k in src:
                truth[k].add(n)
    return render(old), render([[t for t, _ in s] for s in new]), truth


def main() -> int:
    tokenize("预热", None)  # load jieba's dictionary once, outside the timings
    rng = random.Random(2024)
    correct = total = 0
    times: list[float] = []
    for _ in range(5):
        old_text, new_text, truth = make_pair(rng)
        old, new = compile_text(old_text), compile_text(new_text)
        start = time.perf_counter()
        diff = diff_plans(old, new)
        times.append(time.perf_counter() - start)
        found: dict[int, set[int]] = {}
        for change in diff.clauses:
            for old_id in change.old_ids:
                if "." in old_id:
                    found[int(old_id.split(".")[1])] = {
                        int(i.split(".")[1]) for i in change.new_ids if "." in i
                    }
        for k, news in truth.items():
            total += 1
            correct += found.get(k + 1, set()) == news
    print(f"pair of {SECTIONS * ITEMS}-clause plans (+{SECTIONS} sections), 5 seeded runs")
    print(
        f"  diff time: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    print(f"  clauses aligned correctly: {correct}/{total} = {correct / total:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
