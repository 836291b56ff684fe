"""planc diff: time and share of clauses aligned correctly; whole-process time and memory.

The old plan is 10 sections of 10 items built from the sentences of the bundled sample plans;
the new one is that plan edited with a known answer: items reworded, numbers changed, moved
across sections, split, merged, dropped and added, and everything renumbered. Seeded: the
figures are reproducible. The same, 20 and 40 sections of 100 items, makes two 2,000- and two
4,000-clause plans for ``planc diff`` as a whole process (at the default --max-diff-clauses),
as does the pair of work reports in ../shared/corpus.
Not a test: run by ``make bench``.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from measure import PLANC, median_run, run  # noqa: E402

from planc.compile import compile_text  # noqa: E402
from planc.diff.align import diff_plans  # noqa: E402

CN = "一二三四五六七八九十"
SECTIONS, ITEMS = 10, 10


def sentences(more: bool = False) -> list[str]:
    """Sentences of the bundled 2023 plans; ``more``: of the plans in ../shared/corpus too."""
    found: list[str] = []
    paths = sorted((ROOT / "sources" / "2023").glob("*.txt"))
    if more:
        paths += sorted((SHARED / "corpus").glob("*.txt"))
    for path in paths:
        plan = compile_text(path.read_text(encoding="utf-8"))
        for clause in plan.walk():
            if clause.level > 1:
                found += [
                    s + "。"
                    for s in re.split(r"[。；]", clause.text.replace("\n", ""))
                    if len(s) > 12
                ]
    return found


def numeral(n: int) -> str:
    """1-99 as Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    return (
        (CN[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (CN[ones - 1] if ones else "")
    )


def render(sections: list[list[str]], restart: bool = False) -> str:
    """The plan's text: items numbered through the plan, or from 1 in each section."""
    lines, n = ["2023年某市卫生健康工作要点", ""], 0
    for s, items in enumerate(sections):
        lines.append(f"{numeral(s + 1)}、第{s + 1}方面重点工作")
        for i, item in enumerate(items):
            n += 1
            lines.append(f"{i + 1 if restart else n}. {item}")
    return "\n".join(lines) + "\n"


def make_pair(
    rng: random.Random, sections: int = SECTIONS, items_each: int = ITEMS, restart: bool = False
) -> tuple[str, str, dict[str, set[str]]]:
    """Old text, new text, and for each old item's id the new items' ids (empty: dropped).

    ``restart``: number items from 1 in each section (as big plans do), not through the plan.
    """
    scale = max(1, sections * items_each // 100)  # edits in proportion to the plan
    pool = sorted(set(sentences(more=True))) if scale > 1 else sentences()
    while len(pool) < 2 * sections * items_each + 40:  # big plans reuse sentences, in new pairs
        pool += pool
    rng.shuffle(pool)
    items = [pool.pop() + pool.pop() for _ in range(sections * items_each)]
    old = [items[s * items_each : (s + 1) * items_each] for s in range(sections)]
    # Each new item: (text, the old items it came from).
    new: list[list[tuple[str, set[int]]]] = [
        [(items[s * items_each + i], {s * items_each + i}) for i in range(items_each)]
        for s in range(sections)
    ]
    flat = lambda: [(s, i) for s in range(len(new)) for i in range(len(new[s]))]  # noqa: E731
    for s, i in rng.sample(flat(), 20 * scale):  # reword: a number changed, a phrase added
        text, src = new[s][i]
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text, count=1)
        new[s][i] = (text.replace("，", "，进一步", 1), src)
    for s, i in rng.sample(flat(), 5 * scale):  # split in two
        text, src = new[s][i]
        parts = text.split("。")
        new[s][i] = ("。".join(parts[:1]) + "。", src)
        new[s].insert(i + 1, ("。".join(parts[1:]), set(src)))
    for _ in range(3 * scale):  # merge neighbours
        s = rng.randrange(sections)
        i = rng.randrange(len(new[s]) - 1)
        (a, sa), (b, sb) = new[s][i], new[s][i + 1]
        if len(sa) == 1 and len(sb) == 1 and sa != sb:
            new[s][i : i + 2] = [(a + b, sa | sb)]
    for _ in range(10 * scale):  # move across sections
        s, t = rng.sample(range(sections), 2)
        new[t].insert(rng.randrange(len(new[t]) + 1), new[s].pop(rng.randrange(len(new[s]))))
    for _ in range(5 * scale):  # drop
        s = rng.randrange(sections)
        new[s].pop(rng.randrange(len(new[s])))
    for _ in range(5 * scale):  # add
        s = rng.randrange(sections)
        new[s].insert(rng.randrange(len(new[s]) + 1), (pool.pop() + pool.pop(), set()))
    old_ids = [
        f"{s + 1}.{i + 1 if restart else s * items_each + i + 1}"
        for s in range(sections)
        for i in range(items_each)
    ]
    truth: dict[str, set[str]] = {old_id: set() for old_id in old_ids}
    n = 0
    for s, section in enumerate(new):
        for i, (_, src) in enumerate(section):
            n += 1
            for k in src:
                truth[old_ids[k]].add(f"{s + 1}.{i + 1 if restart else n}")
    new_text = render([[t for t, _ in s] for s in new], restart)
    return render(old, restart), new_text, truth


def accuracy(clauses: list[dict[str, list[str]]], truth: dict[str, set[str]]) -> tuple[int, int]:
    """Old items whose new items the diff found exactly, of all old items."""
    found = {
        old_id: {i for i in change["new_ids"] if "." in i}
        for change in clauses
        for old_id in change["old_ids"]
    }
    correct = sum(found.get(old_id, set()) == news for old_id, news in truth.items())
    return correct, len(truth)


def small_pairs() -> None:
    rng = random.Random(2024)
    correct = total = 0
    times: list[float] = []
    for _ in range(5):
        old_text, new_text, truth = make_pair(rng)
        old, new = compile_text(old_text), compile_text(new_text)
        start = time.perf_counter()
        diff = diff_plans(old, new)
        times.append(time.perf_counter() - start)
        right, count = accuracy(diff.model_dump()["clauses"], truth)
        correct, total = correct + right, total + count
    print(f"pair of {SECTIONS * ITEMS}-clause plans (+{SECTIONS} sections), 5 seeded runs")
    print(
        f"  diff time: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    print(f"  clauses aligned correctly: {correct}/{total} = {correct / total:.1%}")


def whole_processes() -> None:
    print("planc diff as a whole process (median of 3; peak resident memory)")
    reports = [SHARED / "corpus" / f"gov-work-report-{year}.txt" for year in (2021, 2022)]
    if all(path.exists() for path in reports):
        seconds, peak = median_run([PLANC, "diff", *map(str, reports)], runs=3)
        verdict = "PASS" if seconds <= 1 else "FAIL"
        print(f"  work reports 2021 → 2022: {seconds:.2f} s, {peak:.0f} MB   (<= 1 s) {verdict}")
    else:
        print(f"  work reports: skipped ({reports[0].parent} is missing)")
    with tempfile.TemporaryDirectory(prefix="planc-bench-diff-") as tmp:
        for sections, target in ((20, None), (40, (10.0, 500.0))):
            old_text, new_text, truth = make_pair(random.Random(4000), sections, 100, restart=True)
            old, new = Path(tmp, "old.txt"), Path(tmp, "new.txt")
            out = Path(tmp, "diff.json")
            old.write_text(old_text, encoding="utf-8")
            new.write_text(new_text, encoding="utf-8")
            seconds, peak = run([PLANC, "diff", str(old), str(new), "-o", str(out)])
            clauses = json.loads(out.read_text("utf-8"))["pairs"][0]["clauses"]
            right, count = accuracy(clauses, truth)
            line = (
                f"  two {count:,}-clause plans (+{sections} sections): {seconds:.1f} s, "
                f"{peak:.0f} MB, {right / count:.1%} aligned right"
            )
            if target:
                ok = "PASS" if seconds <= target[0] and peak <= target[1] else "FAIL"
                line += f"   (<= {target[0]:.0f} s, <= {target[1]:.0f} MB) {ok}"
            print(line)


def main() -> int:
    small_pairs()
    whole_processes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
