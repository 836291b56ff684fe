"""Caps on what one plan may hold, so that time and memory stay bounded on dense input.

``--max-bytes`` bounds the input, but not what is made of it: 50 MB of ``（一）`` lines are
five million clauses, and a megabyte of ``1-2%-`` is 200,000 targets, each costing a few
kilobytes by the time it is written out. These caps refuse such input, with one line and exit
code 2, before the work is done. Two numbers, each with a command-line option, scale them all:

- ``clauses`` (``--max-clauses``): clauses in a plan; a plan may also have 20 lines and
  1 item (deadline, target, owner) for each clause allowed;
- ``items`` (``--max-items``): items in one clause; a clause body may be 1,000 characters
  long for each item allowed.

The library applies no caps (``compile_text`` on trusted text is the caller's business); the
commands install the defaults, or what the options say, with ``configure``. A build's worker
processes receive the caps with each job.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from planc.errors import PlancError

if TYPE_CHECKING:
    from planc.model import Plan

DEFAULT_MAX_CLAUSES = 10_000
DEFAULT_MAX_ITEMS = 1_000
LINES_PER_CLAUSE = 20
ITEMS_PER_CLAUSE_ALLOWED = 1
CHARS_PER_ITEM_ALLOWED = 1_000

# Compiled output is 3 to 100 times its source: the text (a clause's heading twice), and some
# 250 to 500 bytes for each clause and item (ids, spans, fields). Reading it back gets a limit
# of its own: this many times --max-bytes, and this many bytes per clause and item allowed.
READBACK_RATIO = 4
READBACK_BYTES_PER_ELEMENT = 1_000
# ``planc diff`` aligns every clause of one side with the other's: cap the clauses per side.
DEFAULT_MAX_DIFF_CLAUSES = 2_000
# The most bytes a read can ask for: one more than this does not fit the C type of a size.
LARGEST_READ = sys.maxsize - 1


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps of one run; ``None`` means no cap (the library's default)."""

    clauses: int | None = DEFAULT_MAX_CLAUSES
    items: int | None = DEFAULT_MAX_ITEMS

    @property
    def lines(self) -> int | None:
        return None if self.clauses is None else LINES_PER_CLAUSE * self.clauses

    @property
    def plan_items(self) -> int | None:
        return None if self.clauses is None else ITEMS_PER_CLAUSE_ALLOWED * self.clauses

    @property
    def clause_chars(self) -> int | None:
        return None if self.items is None else CHARS_PER_ITEM_ALLOWED * self.items


UNLIMITED = Limits(None, None)
_active: ContextVar[Limits] = ContextVar("planc_limits", default=UNLIMITED)
_items_left: ContextVar[int | None] = ContextVar("planc_items_left", default=None)
_compiling: ContextVar[str] = ContextVar("planc_compiling", default="<string>")


def configure(limits: Limits) -> None:
    """Install the caps the commands run under (in this process and the workers it forks)."""
    _active.set(limits)


def reset() -> None:
    """No caps again, as the library has them (tests run commands in one process)."""
    _active.set(UNLIMITED)
    _max_diff_clauses.set(DEFAULT_MAX_DIFF_CLAUSES)


def active() -> Limits:
    return _active.get()


def set_max_clauses(value: int) -> int:
    """The ``--max-clauses`` option's callback (run for the default too): install the cap."""
    configure(replace(active(), clauses=value))
    return value


def set_max_items(value: int) -> int:
    """The ``--max-items`` option's callback (run for the default too): install the cap."""
    configure(replace(active(), items=value))
    return value


def check_max_bytes(value: int) -> int:
    """The ``--max-bytes`` option's callback: a number no read can ask for is refused."""
    if value > LARGEST_READ:
        raise PlancError(
            f"--max-bytes {value} is more than any file can hold (at most {LARGEST_READ:,})"
        )
    return value


# A line that may open with a clause label: after the spaces parse strips, a numeral, an
# opening bracket, a digit, or one of ⒈ ⑴ ①. An upper bound of parse's labels, counted in C.
_LABEL_CANDIDATE = re.compile(
    r"(?:\A|(?<=[\r\n]))[ \t\f\v\u3000\u00a0\u200b-\u200d\u2060\ufeff\u2002\u2003\u2009]*"
    r"(?=[零〇一二两三四五六七八九十百千(（0-9０-９\u2460-\u249b])"
)


@contextmanager
def compiling(text: str, path: str) -> Iterator[None]:
    """Refuse ``text`` if it has too many lines or clause labels, or a line longer than a
    clause may be; count items while inside.

    Counted before parsing, since parsing five million clauses is itself what must not happen.
    """
    limits = active()
    if limits.lines is not None:
        lines = text.count("\n") + text.count("\r") - text.count("\r\n")
        if lines > limits.lines:
            raise PlancError(
                f"has {lines:,} lines, more than the {limits.lines:,} allowed "
                f"({LINES_PER_CLAUSE} per clause of --max-clauses)",
                path,
            )
    if limits.clause_chars is not None and len(text) > limits.clause_chars:
        longest = max(map(len, text.splitlines()))  # at most lines_allowed of them
        if longest > limits.clause_chars:
            raise PlancError(
                f"has a line of {longest:,} characters, more than the {limits.clause_chars:,} "
                f"allowed ({CHARS_PER_ITEM_ALLOWED:,} per item of --max-items)",
                path,
            )
    if limits.clauses is not None:
        labels = _count_labels(text, limits.clauses)
        if labels > limits.clauses:
            raise PlancError(
                f"has more than {limits.clauses:,} clauses, the limit (see --max-clauses)", path
            )
    tokens = _items_left.set(limits.plan_items), _compiling.set(path)
    try:
        yield
    finally:
        _items_left.reset(tokens[0])
        _compiling.reset(tokens[1])


class _Tree(Protocol):
    @property
    def children(self) -> Sequence[_Tree]: ...


def check_clause_count(roots: Sequence[_Tree]) -> None:
    """Refuse a parsed plan with more clauses than allowed: the labels counted before parsing
    bound the labelled clauses, and this the rest (rows of a task table)."""
    limit = active().clauses
    if limit is None:
        return
    count, stack = 0, list(roots)
    while stack:
        count += 1
        if count > limit:
            raise PlancError(
                f"has more than {limit:,} clauses, the limit (see --max-clauses)", _compiling.get()
            )
        stack.extend(stack.pop().children)


def _count_labels(text: str, stop_after: int) -> int:
    """Lines that open with a label, up to one past ``stop_after``: an upper bound of clauses.

    The candidate lines, counted in C, bound the labels: only when there are more of them than
    allowed is each one read (a plan within the cap is not read twice for its labels)."""
    candidates = len(_LABEL_CANDIDATE.findall(text))
    if candidates <= stop_after:
        return candidates
    # Here, not at the top: importing the labels loads the whole parser, which a command that
    # compiles nothing (a rebuild with nothing to do, ``--help``) does not need.
    from planc.parse.labels import match_label
    from planc.textmap import fold

    count = 0
    for found in _LABEL_CANDIDATE.finditer(text):
        start = found.end()
        if match_label(fold(text[start : start + 16])):
            count += 1
            if count > stop_after:
                break
    return count


def check_clause(body: str, clause_id: str) -> None:
    """Refuse a clause body too long for the extractors to read in bounded time."""
    limit = active().clause_chars
    if limit is not None and len(body) > limit:
        raise PlancError(
            f"clause {clause_id} has {len(body):,} characters, more than the {limit:,} allowed "
            f"({CHARS_PER_ITEM_ALLOWED:,} per item of --max-items)",
            _compiling.get(),
        )


def check_items(count: int, clause_id: str) -> None:
    """Refuse a clause with too many items, or a plan whose items run over its share."""
    limits = active()
    if limits.items is not None and count > limits.items:
        raise PlancError(
            f"clause {clause_id} has more than {limits.items:,} deadlines, targets or owners "
            "of one kind, the limit (see --max-items)",
            _compiling.get(),
        )
    left = _items_left.get()
    if left is None:
        return
    left -= count
    _items_left.set(left)
    if left < 0:
        raise PlancError(
            f"has more than {limits.plan_items:,} deadlines, targets and owners, the limit "
            "(as many as --max-clauses)",
            _compiling.get(),
        )


def readback_limit(max_bytes: int) -> int:
    """The size a compiled plan may have, when planc reads it back, for inputs of ``max_bytes``
    and the caps in force (the default caps if none are)."""
    limits = active()
    clauses = limits.clauses or DEFAULT_MAX_CLAUSES
    elements = clauses * (1 + ITEMS_PER_CLAUSE_ALLOWED)
    return min(READBACK_RATIO * max_bytes + READBACK_BYTES_PER_ELEMENT * elements, LARGEST_READ)


_max_diff_clauses: ContextVar[int] = ContextVar(
    "planc_diff_clauses", default=DEFAULT_MAX_DIFF_CLAUSES
)


def set_max_diff_clauses(value: int) -> int:
    """The ``diff --max-clauses`` option's callback."""
    _max_diff_clauses.set(value)
    return value


class _Edition(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def plan(self) -> Plan: ...


def check_diff_size(editions: Iterable[_Edition]) -> None:
    """Refuse a plan with more clauses than ``planc diff`` may align with another's."""
    limit = _max_diff_clauses.get()
    for edition in editions:
        clauses = sum(1 for _ in edition.plan.walk())
        if clauses > limit:
            raise PlancError(
                f"has {clauses:,} clauses, more than the {limit:,} that diff compares "
                "(see --max-diff-clauses)",
                edition.path,
            )
