"""Unit names: the lexicon of government bodies, and which printed names are one unit.

Two data files hold the official structure: ``units_central.txt`` (the State Council's
departments and bureaus, with the short forms plans print: 国家发展改革委, 发展改革委 …) and
``units_local.txt`` (the department stems of provincial, city, county and district governments,
named as place + stem: 省发展改革委, 市卫生健康委, 区规划资源局). A name is *known* when it is a
central body, or a place followed by a local stem.

``canonical`` gives the one form every printing of a unit maps to, so that 市卫健委 and
市卫生健康委员会 compare equal (``same_unit``); ``aliases`` lists the forms a unit may be printed in.
Other parts of planc (the ledger, task lists) can key units on ``canonical``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

# A place before a local department: 省, 市, 各区, 南阳市, 静安区, 各县(市、区), 内蒙古自治区 …
_PLACE = re.compile(
    r"(?:各(?:有关|相关)?|全)?"
    r"(?:[\u4e00-\u9fff]{0,10}?"
    r"(?:省|市|区|县|州|盟|旗|镇|乡|街道|自治区|自治州|自治县|新区|特别行政区)"
    r"(?:[(（][^()（）]{1,10}[)）])?)?"
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every printed form of a unit, mapped to its full name."""

    central: dict[str, str]  # a central body's full name or short form → its full name
    stems: dict[str, str]  # a local department stem or its short form → the full stem
    stems_by_length: tuple[str, ...]  # the stems, longest first

    def names(self) -> frozenset[str]:
        """Every whole name and stem: what a unit name may end with."""
        return frozenset({*self.central, *self.stems})


def _read(name: str) -> list[list[str]]:
    text = (resources.files("planc") / "data" / name).read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]


@cache
def lexicon() -> Lexicon:
    """The lexicon, read once from ``planc/data``."""
    central: dict[str, str] = {}
    for forms in _read("units_central.txt"):
        for form in forms:
            central.setdefault(form, forms[0])
    stems: dict[str, str] = {}
    for forms in _read("units_local.txt"):
        for form in forms:
            stems.setdefault(form, forms[0])
    return Lexicon(
        central=central,
        stems=stems,
        stems_by_length=tuple(sorted(stems, key=len, reverse=True)),
    )


def _normal(name: str) -> str:
    return name.replace(" ", "").replace("(", "（").replace(")", "）")


@lru_cache(maxsize=8192)
def _split(name: str) -> tuple[str, str] | None:
    """``(place, stem)`` when ``name`` is a place followed by a local department stem."""
    lex = lexicon()
    for stem in lex.stems_by_length:
        place_end = len(name) - len(stem)
        if name.endswith(stem) and _PLACE.fullmatch(name, 0, place_end):
            if place_end == 0 and stem.endswith("政府"):
                return None  # 政府 alone names no government
            return name[:place_end], stem
    return None


def is_known(name: str) -> bool:
    """Whether ``name`` is a unit the lexicon knows: a central body or place + department."""
    name = _normal(name)
    return name in lexicon().central or _split(name) is not None


def canonical(name: str) -> str:
    """The one form of a unit that all its printings share (市卫健委 → 市卫生健康委员会)."""
    name = _normal(name)
    lex = lexicon()
    if name in lex.central:
        return lex.central[name]
    split = _split(name)
    if split is None:
        return name
    place, stem = split
    return place + lex.stems[stem]


def same_unit(first: str, second: str) -> bool:
    """Whether two printed names are one unit (市卫健委 and 市卫生健康委员会)."""
    return canonical(first) == canonical(second)


def aliases(name: str) -> tuple[str, ...]:
    """Every form the lexicon knows ``name``'s unit to be printed in, its canonical form first."""
    full = canonical(name)
    lex = lexicon()
    if full in lex.central.values():
        return (full, *sorted({form for form, to in lex.central.items() if to == full} - {full}))
    split = _split(full)
    if split is None:
        return (full,)
    place, stem = split
    forms = {place + form for form, to in lex.stems.items() if to == stem} - {full}
    return (full, *sorted(forms))
