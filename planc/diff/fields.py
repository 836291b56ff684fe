"""Commitments compared across editions: targets raised or lowered, deadlines moved, owners.

Items are paired by what surrounds them in the clause (``国内生产总值增长`` before ``6%以上``),
since numbers change and order shifts; a deadline is compared after moving it by the years
between the editions, so ``2023年底前`` → ``2024年底前`` is no change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from planc.diff.assign import best_pairs
from planc.diff.model import FieldChange, FieldKind
from planc.model import Clause, Deadline, Owner, Target
from planc.textmap import fold

_BREAK = re.compile(r"[，。；：、,;:!?！？\n（）()]")
_CONTEXT = 12  # characters of context kept each side of an item
_MIN_CONTEXT = 0.3
_CMP_WORDS = {">=": "≥", "<=": "≤", "~": "~", "=": "", "range": ""}

Item = TypeVar("Item", Target, Deadline)


def field_changes(old: Sequence[Clause], new: Sequence[Clause], years: int) -> list[FieldChange]:
    """What changed in the targets, deadlines and owners of ``old`` clauses as ``new``."""
    return (
        _targets(_located(old, "targets"), _located(new, "targets"))
        + _deadlines(_located(old, "deadlines"), _located(new, "deadlines"), years)
        + _owners([o for c in old for o in c.owners], [o for c in new for o in c.owners])
    )


def _located(clauses: Sequence[Clause], attribute: str) -> list[tuple[Item, str]]:
    """Each item with the words around it in its clause, as its identity across editions."""
    located: list[tuple[Item, str]] = []
    for clause in clauses:
        text = fold(clause.text)
        cursor = 0
        for item in getattr(clause, attribute):
            at = text.find(fold(item.text), cursor)
            if at < 0:
                located.append((item, ""))
                continue
            cursor = at + len(item.text)
            before = _BREAK.split(text[max(0, at - _CONTEXT) : at])[-1]
            after = _BREAK.split(text[cursor : cursor + _CONTEXT])[0]
            located.append((item, f"{before.strip()}|{after.strip()}"))
    return located


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: str, b: str) -> float:
    if not a.strip("|") or not b.strip("|"):
        return 0.0
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def _pair(
    old: list[tuple[Item, str]],
    new: list[tuple[Item, str]],
    score: Callable[[Item, str, Item, str], float],
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """Best pairs, then what is left of each side: dropped and added items."""
    if not old or not new:
        return [], [i for i, _ in old], [i for i, _ in new]
    scores = [[score(a, ca, b, cb) for b, cb in new] for a, ca in old]
    pairs = best_pairs(scores, _MIN_CONTEXT)
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    return (
        [(old[i][0], new[j][0]) for i, j in pairs],
        [item for k, (item, _) in enumerate(old) if k not in paired_old],
        [item for k, (item, _) in enumerate(new) if k not in paired_new],
    )


def _target_score(a: Target, ca: str, b: Target, cb: str) -> float:
    if a.unit != b.unit:
        return 0.0
    if a.metric and b.metric:
        return 1.0 + _dice(ca, cb) if a.metric == b.metric else 0.0
    same_number = 0.3 if (a.value, a.max) == (b.value, b.max) else 0.0
    return _dice(ca, cb) + same_number


def _show_target(t: Target) -> str:
    number = f"{_num(t.value)}-{_num(t.max)}" if t.max is not None else _num(t.value)
    return f"{_CMP_WORDS[t.cmp]}{number}{t.unit}"


def _num(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _targets(old: list[tuple[Target, str]], new: list[tuple[Target, str]]) -> list[FieldChange]:
    pairs, dropped, added = _pair(old, new, _target_score)
    changes: list[FieldChange] = []
    for a, b in pairs:
        before, after = (a.value, a.max or a.value), (b.value, b.max or b.value)
        if before == after and a.cmp == b.cmp:
            continue
        kind: FieldKind = "raised" if after > before else "lowered" if after < before else "changed"
        detail = f"{_show_target(a)} → {_show_target(b)}"
        changes.append(
            FieldChange(field="target", kind=kind, old=a.text, new=b.text, detail=detail)
        )
    changes += [FieldChange(field="target", kind="dropped", old=t.text, new=None) for t in dropped]
    changes += [FieldChange(field="target", kind="added", old=None, new=t.text) for t in added]
    return changes


def shift_years(day: date | None, years: int) -> date | None:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _deadlines(
    old: list[tuple[Deadline, str]], new: list[tuple[Deadline, str]], years: int
) -> list[FieldChange]:
    def score(a: Deadline, ca: str, b: Deadline, cb: str) -> float:
        same_day = 0.3 if shift_years(a.due, years) == b.due else 0.0
        return _dice(ca, cb) + same_day

    pairs, dropped, added = _pair(old, new, score)
    changes: list[FieldChange] = []
    for a, b in pairs:
        due, start = shift_years(a.due, years), shift_years(a.start, years)
        if (due, start) == (b.due, b.start):
            continue
        kind: FieldKind = "changed"
        if due is not None and b.due is not None and due != b.due:
            kind = "later" if b.due > due else "earlier"
        detail = f"{a.due} → {b.due}" if a.due != b.due else f"from {a.start} → {b.start}"
        changes.append(
            FieldChange(field="deadline", kind=kind, old=a.text, new=b.text, detail=detail)
        )
    changes += [
        FieldChange(field="deadline", kind="dropped", old=d.text, new=None, detail=str(d.due))
        for d in dropped
    ]
    changes += [
        FieldChange(field="deadline", kind="added", old=None, new=d.text, detail=str(d.due))
        for d in added
    ]
    return changes


def _owners(old: list[Owner], new: list[Owner]) -> list[FieldChange]:
    old_roles, new_roles = _by_name(old), _by_name(new)
    changes: list[FieldChange] = []
    for name, owner in old_roles.items():
        if name not in new_roles:
            changes.append(FieldChange(field="owner", kind="dropped", old=owner.name, new=None,
                                       detail=owner.role))  # fmt: skip
        elif new_roles[name].role != owner.role:
            detail = f"{owner.role} → {new_roles[name].role}"
            changes.append(FieldChange(field="owner", kind="changed", old=owner.name,
                                       new=new_roles[name].name, detail=detail))  # fmt: skip
    for name, owner in new_roles.items():
        if name not in old_roles:
            changes.append(FieldChange(field="owner", kind="added", old=None, new=owner.name,
                                       detail=owner.role))  # fmt: skip
    return changes


def _by_name(owners: list[Owner]) -> dict[str, Owner]:
    """Each unit once, by its first mention."""
    found: dict[str, Owner] = {}
    for owner in owners:
        found.setdefault(fold(owner.name), owner)
    return found
