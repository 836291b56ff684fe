"""Each side of ``planc diff``: a plan file, a compiled plan, a folder, or a year of sources/.

Plans of two years are paired by file name, then by series (the title with its years taken out,
and the issuer; or, for a plan with no title line, the file name with its years taken out), then
by the headings they share.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from planc.diff.assign import best_pairs
from planc.errors import PlancError
from planc.load import load_plan
from planc.model import Plan
from planc.outputs import compile_file
from planc.source import DEFAULT_MAX_BYTES

PLAN_SUFFIXES = (
    ".txt",
    ".docx",
    ".doc",
    ".wps",
    ".pdf",
    ".ofd",
    ".html",
    ".htm",
    ".yaml",
    ".yml",
    ".json",
)
_YEAR_ARGUMENT = re.compile(r"(?:19|20)\d\d")
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)\s*(?:年度|年)?")
_SEPARATORS = re.compile(r"[\s\-_.·—]+")
_MIN_HEADINGS_SHARED = 0.3


@dataclass(frozen=True, slots=True)
class Edition:
    """One plan of one side, with the year its own years are relative to."""

    path: str
    plan: Plan
    year: int | None


def load_side(argument: str, sources: Path, max_bytes: int) -> list[Edition]:
    """The plans a command-line argument names: a file, a folder, or a year under ``sources``."""
    if argument == "-":
        return [_standard_input(max_bytes)]
    path = Path(argument)
    year = None
    if not path.exists() and _YEAR_ARGUMENT.fullmatch(argument):
        path, year = sources / argument, int(argument)
        if not path.is_dir():
            raise PlancError(f"no plans for {argument}: {path} is not a folder (see --sources)")
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES and not p.name.startswith(".")
        )  # fmt: skip
        if not files:
            raise PlancError(
                "has no plan files (.txt .docx .doc .wps .pdf .ofd .html .yaml .json)", str(path)
            )
        return [load_edition(str(p), max_bytes, year) for p in files]
    if not path.exists():
        raise PlancError("no such file, folder or year", argument)
    return [load_edition(argument, max_bytes, year)]


def _standard_input(max_bytes: int) -> Edition:
    """``-``: a plan, or planc's compiled output of one, told apart by its content."""
    import sys

    from planc.compile import compile_document
    from planc.limits import readback_limit
    from planc.load import load_plan_text, looks_compiled
    from planc.read import read

    data = sys.stdin.buffer.read(readback_limit(max_bytes) + 1)
    if looks_compiled(data):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlancError("is not UTF-8 text (planc writes UTF-8)", "-") from None
        try:
            plan = load_plan_text(text, "-")
        except PlancError as error:  # exit 2 here: for diff, 1 means "the plans differ"
            raise PlancError(error.message, error.path, exit_code=2) from None
    else:
        if len(data) > max_bytes:
            raise PlancError(f"larger than the {max_bytes:,}-byte limit (see --max-bytes)", "-")
        plan = compile_document(read(data, "-", max_bytes), path="-")
    return Edition("-", plan, plan.meta.year)


def load_edition(path: str, max_bytes: int, year: int | None = None) -> Edition:
    suffix = Path(path).suffix.lower()
    plan = (
        load_compiled(path, max_bytes)
        if suffix in (".yaml", ".yml", ".json")
        else compile_file(path, max_bytes)
    )
    return Edition(path, plan, plan.meta.year or year or _year_in(Path(path).stem))


def load_compiled(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """A plan compiled by ``planc parse``, read safely and validated (``planc.load``).

    Any failure is exit code 2 here: for ``diff``, 1 means "the plans differ".
    """
    try:
        return load_plan(path, max_bytes)
    except PlancError as error:
        raise PlancError(error.message, error.path, exit_code=2) from None


def _year_in(text: str) -> int | None:
    found = _YEAR_ARGUMENT.search(text)
    return int(found.group()) if found else None


def series(edition: Edition) -> str:
    """What stays the same from one edition of a plan to the next: title and issuer, sans years."""
    meta = edition.plan.meta
    name = meta.title or Path(edition.path).stem
    key = _SEPARATORS.sub("", _YEARS.sub("", name))
    return f"{key}|{meta.issuer or ''}" if meta.title else key


def pair_editions(
    old: list[Edition], new: list[Edition]
) -> tuple[list[tuple[Edition, Edition]], list[Edition], list[Edition]]:
    """Pairs of editions of one plan, then the old and the new plans left unpaired."""
    pairs: list[tuple[Edition, Edition]] = []
    left_old, left_new = list(old), list(new)
    for key in (lambda e: Path(e.path).name, series):
        for a in list(left_old):
            match = next((b for b in left_new if key(b) == key(a)), None)
            if match is not None:
                pairs.append((a, match))
                left_old.remove(a)
                left_new.remove(match)
    if left_old and left_new:
        scores = [[_shared_headings(a.plan, b.plan) for b in left_new] for a in left_old]
        for i, j in best_pairs(scores, _MIN_HEADINGS_SHARED):
            pairs.append((left_old[i], left_new[j]))
        paired = {id(e) for pair in pairs for e in pair}
        left_old = [e for e in left_old if id(e) not in paired]
        left_new = [e for e in left_new if id(e) not in paired]
    return pairs, left_old, left_new


def _shared_headings(a: Plan, b: Plan) -> float:
    """Share of clause headings (years taken out) the two plans have in common."""
    first = Counter(_YEARS.sub("", c.heading) for c in a.walk())
    second = Counter(_YEARS.sub("", c.heading) for c in b.walk())
    total = max(sum(first.values()), sum(second.values()))
    return sum((first & second).values()) / total if total else 0.0
