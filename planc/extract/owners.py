"""Owners: 牵头单位：X, X牵头, X负责, 配合X, 依托X, a unit opening a sentence …

Everything common is decided by plain string work: a role signal fixes where a unit name
starts or ends, and a name is a unit when it ends the way unit names end (局 委 办 院 政府 中心
…, listed in ``planc/data/units.txt``, a jieba user dictionary). jieba is consulted in one
place only: when an implicit owner does not begin with a level word (市 省 各 自治区 …), its
first word is tagged to tell a name (内蒙古医科大学附属医院) from a verb governing one
(推动三级医院). The tokenizer is loaded on first need and kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from planc.extract import Context, Hit

_ROLES = {"牵头": "lead", "负责": "responsible", "责任": "responsible", "主责": "responsible",
          "配合": "cooperating", "协办": "cooperating", "参与": "cooperating",
          "指导": "guiding"}  # fmt: skip

# 牵头单位：X；责任单位：Y、Z  (the text is folded: ：→ :, （）→ ())
_ROLE_WORDS = tuple(_ROLES)
_LABEL = re.compile(r"(牵头|(?:责任|主责|配合|协办|参与|指导))(?:单位|部门)? *:")
_LABEL_STOPS = frozenset("；;。)\n")
# X牵头, X负责, X配合, X参与, X指导 (the name is read backwards from the role word)
_ROLE_AFTER = re.compile(r"牵头|负责|配合|参与|指导")
_NOT_ROLE_NEXT = re.compile(r"单位|部门|制|人|的|下|组(?!织)|作用|意见|和|协调")  # 负责制, 指导组 …
_TRAILING_ADVERBS = re.compile(r"(?:具体|共同|统一|积极|主动|全面|分别|要|应|等|并)+$")
# 配合X, 会同X, 联合X, 依托X; 与X密切配合, 与X紧密协作
# 由X承担…, 由X对…进行培训: the unit after 由 that acts is responsible (由于, 理由 are no signal)
_ROLE_BEFORE = re.compile(r"配合|会同|联合|依托|与|(?<![自理经缘因])由(?![于此衷])")
_BEFORE_ROLES = {"配合": "cooperating", "会同": "cooperating", "联合": "cooperating",
                 "依托": "cooperating", "与": "cooperating", "由": "responsible"}  # fmt: skip
_WITH_TAIL = re.compile(r"(密切|紧密|协调|通力|积极)?(?:配合|协作|合作)")
# where a sentence starts: the opener form (市级中医医院选择…, 各盟市积极申报…)
_SENTENCE_START = re.compile(
    r"(?:^|(?<=[。；;!?]))[ \n]*|(?<=[，,])[ \n]*(?=各)"
)  # 各地 after a comma too
# a clause body whose first line is its heading (工作安排\n联合采购办公室汇总…)
_HEADING_LINE = re.compile(r"[^，,。；;:!?\n]{1,30}\n")
# 一是依托X…, 其次X负责…: an enumerator opens the stretch, it is no part of a name
_ENUMERATOR = re.compile(r"(?:[一二三四五六七八九十]是|首先|其次|再次|最后)")
# X对…进行指导监督: the opener guides
_GUIDES = re.compile(r"[^，,。；;!?\n]*?进行指导")
_CONJUNCTION = re.compile(r"以及|和|及")
_COUNT = re.compile(r"\d{1,4} ?[所家个]")

_STRETCH_STOPS = frozenset('，,。；;:!?\n“”"《》 ')  # no unit name runs across these
_LEVEL_ENDS = frozenset("省市县区旗盟州")
_LEVEL_STARTS = frozenset("省市县区旗盟州乡镇村")
_MAX_NAME = 40

_LAST_BREAK = re.compile(r"[，,。；;:!?\n“”\"《》 ()][^，,。；;:!?\n“”\"《》 ()]*$")
_STRETCH_STOP = re.compile(r"[，,。；;:!?\n“”\"《》 ]")
_ADVERBS = ("积极", "主动", "密切", "紧密", "充分", "并", "要", "应", "可", "须", "需", "和", "及")

# What follows a unit that acts: a verb or an adverb opening its predicate.
_ACTION_WORDS = (
    "积极 认真 切实 全面 全部 要 应 须 必须 务必 负责 牵头 参与 配合 协助 开展 启动 实施 完成 "
    "制定 建立 建成 选择 结合 按 按照 依照 依据 根据 于 每年 进一步 加快 加强 推进 推动 做好 "
    "落实 抓好 列入 纳入 申报 报送 上报 成立 设立 印发 出台 研究 统筹 督促 安排 提供 配备 争创 "
    "创建 承担 聚焦 围绕 对 向 将 把 继续 持续 逐步 不断 率先 力争 争取 确保 分别 共同 同步 主动 "
    "及时 定期 严格 组织开展 组织实施 组织召开 探索 开设 完善 健全 举办 召开 编制 发挥 用好 "
    "实现 牵头组织 汇总"
)
_ACTIONS = tuple(sorted(_ACTION_WORDS.split(), key=len, reverse=True))
_ACTION = re.compile("|".join(_ACTIONS))
# Words that open a phrase governing a unit rather than naming one (以清廉医院为抓手).
_GOVERNING = ("以", "在", "从", "为", "经", "由", "使", "让", "并", "且", "而", "但", "同时",
              "通过", "鼓励", "允许", "支持", "引导", "指定", "要求", "动员", "帮助", "依托",
              "加大", "提升", "提高", "扩大", "深化", "优化", "规范", "强化", "促进", "保障",
              "指导", "明确", "推广", "发展", "巩固", "构建", "打造", "培育", "引进")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The unit dictionary: whole names, name endings, level words, look-alikes that are not."""

    units: frozenset[str]
    suffixes: tuple[str, ...]
    bare: frozenset[str]  # endings that are no unit on their own: 组织, 单位, 中心 …
    endings: dict[str, tuple[str, ...]]  # suffixes and whole names, by last character
    heads: tuple[str, ...]  # how unit names start: level words, provinces, unit words
    not_units: tuple[str, ...]

    def ending(self, text: str, start: int, end: int) -> int:
        """Length of the longest unit ending of ``text[start:end]``, 0 if none."""
        if end <= start:
            return 0
        candidates = self.endings.get(text[end - 1], ())
        return next((len(w) for w in candidates if text.endswith(w, start, end)), 0)


@cache
def _lexicon() -> _Lexicon:
    data = resources.files("planc") / "data"
    tagged: dict[str, list[str]] = {"nt": [], "suffix": [], "level": [], "ns": []}
    for line in (data / "units.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1] in tagged:
            tagged[parts[-1]].append(parts[0])
    suffixes = tuple(tagged["suffix"])
    endings: dict[str, list[str]] = {}
    for word in sorted({*suffixes, *tagged["nt"]}, key=len, reverse=True):
        endings.setdefault(word[-1], []).append(word)
    return _Lexicon(
        units=frozenset(tagged["nt"]),
        suffixes=suffixes,
        bare=frozenset(w for w in suffixes if not w[1:].endswith(suffixes)),
        endings={char: tuple(words) for char, words in endings.items()},
        heads=tuple(sorted([*tagged["level"], *tagged["ns"], *suffixes], key=len, reverse=True)),
        not_units=tuple((data / "not_units.txt").read_text(encoding="utf-8").split()),
    )


_COLLECTIVE = re.compile(r"各(?:有关|相关)?[省市县区旗盟州乡镇]{1,3}")
_EACH = re.compile(r"^各(?:有关|相关)?(?=..)")


@lru_cache(maxsize=4096)
def is_unit(name: str) -> bool:
    """Whether ``name`` reads as a unit: a known one, 各区-like, or ending as unit names end."""
    lexicon = _lexicon()
    if name in lexicon.units or _COLLECTIVE.fullmatch(name):
        return True
    if _EACH.sub("", name, count=1) in lexicon.units:
        return True  # 各试点城市: 各 before a known unit
    if name.startswith("每") or any(ch.isdigit() or ch == "%" for ch in name):
        return False
    if name.endswith(lexicon.not_units) or name in lexicon.bare:
        return False
    return name.endswith(lexicon.suffixes)


@lru_cache(maxsize=4096)
def _starts_cleanly(name: str) -> bool:
    """Whether a name begins as unit names do, not with a verb that governs it."""
    lexicon = _lexicon()
    if name.startswith(lexicon.heads) or name in lexicon.units:
        return True
    if name.startswith(_ACTIONS) or name.startswith(_GOVERNING):
        return False
    if name.startswith("联合") and len(name) > 4:  # 联合采购办公室 (joint), not 联合各级工会
        rest = name[2:]
        return not rest.startswith(_ACTIONS + _GOVERNING) and not _starts_cleanly(rest)
    return not _first_word_is_predicate(name)


def _first_word_is_predicate(name: str) -> bool:
    for word, flag in _pos_tokenizer().cut(name):
        if word.strip():
            return flag[:1] in ("v", "d", "p", "c", "u") and flag != "vn"
    return False


@cache
def _pos_tokenizer() -> Any:
    """jieba's part-of-speech tokenizer with planc's unit dictionary (costly: built once)."""
    import jieba.posseg

    from planc import segment

    tokenizer = segment.tokenizer()
    segment.initialize(tokenizer)
    with (resources.files("planc") / "data" / "units.txt").open("rb") as handle:
        tokenizer.load_userdict(handle)
    return jieba.posseg.POSTokenizer(tokenizer)


def find_owners(text: str, context: Context) -> list[Hit]:
    """Owners in folded clause text; fields: name, role."""
    if not _may_name_owner(text):
        return []
    found = _Found(text, context.issuer)
    for start, end in _labelled(text, found):
        found.cover(start, end)
    _backward(text, found)
    _forward(text, found)
    _openers(text, found)
    return sorted(found.hits, key=lambda hit: hit.start)


@cache
def _owner_signal() -> re.Pattern[str]:
    """What every owner found needs in the text: a role word (the signal of a role label, of
    X牵头 and of 配合X), or an action right after a character that can end a unit (an opener,
    市卫健委负责…; see ``_unit_ends``)."""
    unit_last = "".join(sorted({*_lexicon().endings, *"省市县区旗盟州乡镇"}))
    signals = "|".join((*_ROLES, *_BEFORE_ROLES))
    return re.compile(rf"{signals}|[{re.escape(unit_last)}](?:{_ACTION.pattern})")


def _may_name_owner(text: str) -> bool:
    """A cheap first look: whether the clause can name an owner at all (most cannot)."""
    return _owner_signal().search(text) is not None


class _Found:
    """Hits so far: each name once, each stretch of text claimed by one signal."""

    def __init__(self, text: str, issuer: str | None) -> None:
        self.text = text
        self.issuer = issuer
        self.hits: list[Hit] = []
        self.names: set[str] = set()
        self.covered = bytearray(len(text))

    def cover(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)

    def is_covered(self, start: int, end: int) -> bool:
        return any(self.covered[start:end])

    def add(self, start: int, end: int, role: str) -> None:
        name = _display_name(self.text[start:end])
        if name in self.names or name == self.issuer or name.startswith(("我", "本")):
            return
        self.names.add(name)
        self.hits.append(Hit(start, end, {"name": name, "role": role}))
        self.cover(start, end)


def _display_name(printed: str) -> str:
    """The name as Chinese prints it: full-width brackets, no stray spaces."""
    return printed.replace(" ", "").replace("(", "（").replace(")", "）")


def _labelled(text: str, found: _Found) -> Iterator[tuple[int, int]]:
    """牵头单位：X，配合单位：Y、Z — every unit listed after a role label; yields claimed spans."""
    labels = list(_LABEL.finditer(text))
    for index, match in enumerate(labels):
        role = _ROLES[match.group(1)]
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        end = _list_end(text, match.end(), limit)
        for start, stop in _split_units(text, match.end(), end):
            if stop - start >= 2:
                found.add(start, stop, role)
        yield match.start(), end


def _list_end(text: str, start: int, limit: int) -> int:
    depth = 0
    for i in range(start, limit):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in _LABEL_STOPS:
            return i
    return limit


def _split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a list on 、，, outside brackets; 各区、县级市政府 and 省、市医保部门 stay one unit."""
    items: list[tuple[int, int]] = []
    depth, item_start = 0, start
    for i in range(start, end + 1):
        ch = text[i] if i < end else "、"
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0 and ch in "、，,":
            trimmed = _trim(text, item_start, i)
            if trimmed:
                items.append(trimmed)
            item_start = i + 1
    merged: list[tuple[int, int]] = []
    for item in items:
        if merged and _shares_head(text[slice(*merged[-1])], text[slice(*item)]):
            merged[-1] = (merged[-1][0], item[1])
        else:
            merged.append(item)
    return merged


def _shares_head(before: str, after: str) -> bool:
    """省、市医保部门: a bare level word shares the unit named after it."""
    return (
        len(before) <= 4
        and before[-1] in _LEVEL_ENDS
        and after[0] in _LEVEL_STARTS
        and not before.endswith(_lexicon().suffixes)
        and before not in _lexicon().units
    )


def _conjuncts(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """X和Y → X, Y; but 人力资源和社会保障局 is one name: a 和 inside the unit ending stays."""
    parts: list[tuple[int, int]] = []
    lexicon = _lexicon()
    for start, end in items:
        ending = lexicon.ending(text, start, end)
        cut = start
        for match in _CONJUNCTION.finditer(text, start, end - ending):
            if match.start() - cut >= 2:  # not the 和 of 呼和浩特
                parts.append((cut, match.start()))
                cut = match.end()
        parts.append((cut, end))
    return [part for part in parts if part[1] > part[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \n":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    if end > start and text[end - 1] == "等":
        end -= 1
    return (start, end) if end > start else None


def _backward(text: str, found: _Found) -> None:
    """X牵头, X负责, X配合, X参与, X指导: X runs back to the punctuation before it."""
    for match in _ROLE_AFTER.finditer(text):
        at = match.start()
        if found.is_covered(at, match.end()) or _NOT_ROLE_NEXT.match(text, match.end()):
            continue
        start = _name_start(text, at)
        if start is None:
            continue
        enumerator = _ENUMERATOR.match(text, start)
        if enumerator:
            start = enumerator.end()  # 一是X负责: the unit follows the enumerator
        lead_in = max(text.rfind("由", start, at), text.rfind("请", start, at))
        if lead_in >= 0:
            start = lead_in + 1  # 由X负责: the unit follows 由
        adverbs = _TRAILING_ADVERBS.search(text, start, at)
        end = adverbs.start() if adverbs else at
        role = _ROLES[match.group()]
        if role == "guiding" and end == start:
            continue  # X承担…，指导Y…: a subject-less 指导 names no guide
        if role == "responsible" and text.startswith("指导", match.end()):
            role = "guiding"  # X负责指导: X guides
        if end == start and start > 0 and text[start - 1] in "，," and role != "cooperating":
            subject = _subject(text, start - 1)  # X设在Y，具体负责…: the sentence's subject
            if subject:
                found.add(*subject, role)
            continue
        if text.endswith(_ROLE_WORDS, start, end):
            continue  # X牵头负责: already read at 牵头
        units = _conjuncts(text, _split_units(text, start, end))
        if units and _all_units(text, units, check_head=lead_in < 0):
            for unit_start, unit_end in units:
                found.add(unit_start, unit_end, role)


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` begins (after 。；!? or a heading line)."""
    start = max(text.rfind(ch, 0, at) for ch in "。；;!?") + 1
    heading = _HEADING_LINE.match(text)
    if heading and start < heading.end() <= at:
        start = heading.end()
    while start < at and text[start] in " \n":
        start += 1
    return start


def _subject(text: str, at: int) -> tuple[int, int] | None:
    """The unit opening the sentence before ``at`` when a verb follows it (X设在Y，…)."""
    start = _sentence_start(text, at)
    stop = _STRETCH_STOP.search(text, start, at)
    end = stop.start() if stop else at
    if end - start < 2 or end - start > _MAX_NAME:
        return None
    offset = start
    for word, flag in _pos_tokenizer().cut(text[start:end]):
        if offset > start and flag[:1] in ("v", "p") and flag != "vn":
            name = text[start:offset]
            if is_unit(name) and _starts_cleanly(name):
                return start, offset
            return None
        offset += len(word)
    return None


def _name_start(text: str, at: int) -> int | None:
    """Where the stretch before ``at`` begins: after punctuation or an unclosed bracket."""
    low = max(0, at - _MAX_NAME)
    last_break = _LAST_BREAK.search(text, low, at)
    if last_break is None:
        return 0 if low == 0 else None  # runs back to the clause start, or too long for a name
    if text[last_break.start()] != ")":
        return last_break.start() + 1
    depth = 0  # brackets inside the name, as in 各县(市、区)政府: walk back over them
    for i in range(at - 1, low - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in _STRETCH_STOPS:
            return i + 1
    return 0 if low == 0 else None


def _all_units(text: str, units: list[tuple[int, int]], check_head: bool) -> bool:
    names = [text[s:e] for s, e in units]
    if not all(is_unit(name) for name in names):
        return False
    return not check_head or _starts_cleanly(names[0])


def _forward(text: str, found: _Found) -> None:
    """配合X, 会同X, 联合X, 依托X, 与X密切配合: X is the shortest unit the signal governs."""
    for match in _ROLE_BEFORE.finditer(text):
        keyword, start = match.group(), match.end()
        if found.is_covered(match.start(), start) or not _governs(text, match.start(), keyword):
            continue
        stretch_end = _stretch_end(text, start)
        ends = _unit_ends(
            text, start, stretch_end, with_tail=keyword == "与", at_stop=keyword != "由"
        )
        for end in ends:
            units = _conjuncts(text, _split_units(text, start, end))
            names = [text[s:e] for s, e in units]
            if (
                names
                and not names[0].startswith(_ACTIONS)
                and all(map(is_unit, names))
                and (keyword not in ("联合", "由") or _starts_cleanly(names[0]))
            ):  # 联合采购办公室汇总…: 联合 opens the name, it governs none
                for unit_start, unit_end in units:
                    found.add(unit_start, unit_end, _BEFORE_ROLES[keyword])
            break


def _governs(text: str, at: int, keyword: str) -> bool:
    """配合X at the start of a phrase or after an adverb; not 成立联合采购办公室 (part of a name)."""
    if keyword in ("与", "由") or at == 0 or text[at - 1] in _STRETCH_STOPS:
        return True
    if at >= 2 and _ENUMERATOR.fullmatch(text, at - 2, at):
        return True  # 一是依托X
    return text.endswith(_ADVERBS, 0, at)


def _openers(text: str, found: _Found) -> None:
    """市级中医医院选择…, 各盟市积极申报…: a unit that opens a sentence and acts."""
    starts = [match.end() for match in _SENTENCE_START.finditer(text)]
    heading = _HEADING_LINE.match(text)
    if heading:
        starts.append(heading.end())
    for start in starts:
        enumerator = _ENUMERATOR.match(text, start)
        if enumerator:
            start = enumerator.end()
        count = _COUNT.match(text, start)
        if count:
            start = count.end()
        stretch_end = _stretch_end(text, start)
        for end in _unit_ends(text, start, stretch_end, at_stop=False):
            if found.is_covered(start, end):
                continue
            units = _conjuncts(text, _split_units(text, start, end))
            names = [text[s:e] for s, e in units]
            if (
                names
                and all(map(is_unit, names))
                and (count is not None or _starts_cleanly(names[0]))
            ):
                role = "guiding" if _GUIDES.match(text, end) else "responsible"
                for unit_start, unit_end in units:
                    found.add(unit_start, unit_end, role)
            break


def _stretch_end(text: str, start: int) -> int:
    stop = _STRETCH_STOP.search(text, start, min(len(text), start + _MAX_NAME))
    return stop.start() if stop else min(len(text), start + _MAX_NAME)


def _unit_ends(
    text: str, start: int, end: int, with_tail: bool = False, at_stop: bool = True
) -> Iterator[int]:
    """Where a unit name from ``start`` may end: before an action (or 密切配合 after 与), or
    at the end of the stretch, and only where the text does end as unit names end."""
    lexicon = _lexicon()
    collective = text.startswith("各", start)
    if with_tail:
        ends = [
            m.start()
            for m in _WITH_TAIL.finditer(text, start + 2, end)
            if m.group(1) or m.end() == end  # 与X协作机制 is no partner
        ]
    else:
        ends = [m.start() for m in _ACTION.finditer(text, start + 2, end)]
        if at_stop:
            ends.append(end)
    for i in ends:
        if lexicon.ending(text, start, i) or (collective and _COLLECTIVE.fullmatch(text, start, i)):
            yield i
