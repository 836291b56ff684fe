"""Owners: 牵头单位：X, X牵头, X负责, 配合X, 依托X, owner brackets, table cells, openers …

Everything is decided by plain string work, with no part-of-speech tagger: a role signal fixes
where a unit name starts or ends, and a name is a unit when the lexicon knows it (the State
Council's bodies and the local department stems of ``planc.extract.units``) or it ends the way
unit names end (局 委 办 院 政府 中心 …, ``planc/data/units.txt``). Whether a stretch opens
with a name or with a verb governing one (推动三级医院) is read from the unit's head words
(市 省 各 自治区, a province, a known body) and from lists of predicate and governing words.

Forms, in the order they claim text: task-table cells by column (``Context.cells``); role
labels (牵头单位：X); owner brackets closing an item (（X牵头，Y、Z按职责分工负责）); lines
that list only units (a row printed one cell a line); X牵头/X负责 read backwards; 配合X/会同X/
依托X/由X read forwards; a unit opening a sentence and acting. Each unit is listed once per
clause (one printed two ways, 市卫健委/市卫生健康委员会, too) with its strongest role.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from planc.extract import Context, Hit
from planc.extract.units import canonical, is_known
from planc.extract.units import lexicon as unit_lexicon

_ROLES = {"牵头": "lead", "负责": "responsible", "负总责": "responsible",
          "责任": "responsible", "主责": "responsible",
          "配合": "cooperating", "协办": "cooperating", "参与": "cooperating",
          "协同": "cooperating", "指导": "guiding"}  # fmt: skip
# the role a label names: 牵头单位：, 【责任单位】, 实施主体：, 承办单位：
_LABEL_ROLES = {**_ROLES, "实施": "responsible", "承办": "responsible"}

# 牵头单位：X；责任单位：Y、Z  (the text is folded: ：→ :, （）→ ())
_ROLE_WORDS = tuple(_ROLES)
# (the look-ahead names the first characters, so the scan skips the others in C)
_LABEL = re.compile(
    r"(?=[\[【牵责主配协参指负实承])"
    r"(?:[\[【]?(牵头|责任|主责|配合|协办|协同|参与|指导)(?:单位|部门|主体)? *(?::|[\]】])"
    r"|[\[【]?(负责|实施|承办)(?:单位|部门|主体) *(?::|[\]】]))"
)
_LABEL_STOPS = frozenset("；;。)\n")
# X牵头, X负责, X配合, X参与, X指导 (the name is read backwards from the role word)
_ROLE_AFTER = re.compile(r"牵头|负总责|负责|配合|参与|指导")
_NOT_ROLE_NEXT = re.compile(
    r"单位|部门|制(?![定订])|人|的|下|组(?!织)|作用|意见|和|协调"
)  # 负责制, 指导组 …
_TRAILING_ADVERBS = re.compile(r"(?:具体|共同|统一|积极|主动|全面|分别|要|应|等|并)+$")
# 配合X, 会同X, 联合X, 依托X; 与X密切配合, 与X紧密协作
# 由X承担…, 由X对…进行培训: the unit after 由 that acts is responsible (由于, 理由 are no signal)
# (A look-ahead of first characters lets the scan skip to them in C, where an alternative that
# opens on a look-behind or an optional part keeps the regex engine from doing so.)
_ROLE_BEFORE = re.compile(
    r"(?=[配会联依与由])(?:配合|会同|联合|依托|与|(?<![自理经缘因])由(?![于此衷]))"
)
_BEFORE_ROLES = {"配合": "cooperating", "会同": "cooperating", "联合": "cooperating",
                 "依托": "cooperating", "与": "cooperating", "由": "responsible"}  # fmt: skip
_WITH_TAIL = re.compile(r"(密切|紧密|协调|通力|积极)?(?:配合|协作|合作)")
# where a sentence starts: the opener form (市级中医医院选择…, 各盟市积极申报…)
# (a mark and the spaces after it: a pattern opening on a mark is looked for only at marks)
_SENTENCE_START = re.compile(r"[。；;!?][ \n]*")
_LEADING_SPACE = re.compile(r"[ \n]*")
# the start of a comma clause that may open with an owner: 各地 …, or a subject under a duty
# (，试点地区公立医疗机构应…); one pass over the clause finds them all
_COMMA_START = re.compile(
    r"[，,][ \n]*(?=各|[^，,。；;:!?\n“”\"《》 ]{2,40}?(?:要|应|须|务必|不得|严禁|负责|牵头|承担))"
)
# a clause body whose first line is its heading (工作安排\n联合采购办公室汇总…)
_HEADING_LINE = re.compile(r"[^。；;:!?\n]{1,30}\n")  # 加强领导，强化市区联动⏎各区要…
# 一是依托X…, 其次X负责…: an enumerator opens the stretch, it is no part of a name
_ENUMERATOR = re.compile(r"(?:[一二三四五六七八九十]是|首先|其次|再次|最后)")
# X对…进行指导监督: the opener guides
_GUIDES = re.compile(r"[^，,。；;!?\n]{0,60}?进行指导")
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
    "实现 牵头组织 汇总 会同 明确 不得 严禁 作为 自主 优先 做到 参照 带头"
)
_ACTIONS = tuple(sorted(_ACTION_WORDS.split(), key=len, reverse=True))
_ACTION = re.compile("|".join(_ACTIONS))
# Words that open a phrase governing a unit rather than naming one (以清廉医院为抓手).
_GOVERNING = ("以", "在", "从", "为", "经", "由", "使", "让", "并", "且", "而", "但", "同时",
              "通过", "鼓励", "允许", "支持", "引导", "指定", "要求", "动员", "帮助", "依托",
              "加大", "提升", "提高", "扩大", "深化", "优化", "规范", "强化", "促进", "保障",
              "指导", "明确", "推广", "发展", "巩固", "构建", "打造", "培育", "引进",
              "协调", "督促", "邀请", "委托", "联系", "对接", "商请", "协助", "召集", "推荐")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The unit dictionary: whole names, name endings, level words, look-alikes that are not."""

    units: frozenset[str]
    suffixes: tuple[str, ...]
    bare: frozenset[str]  # endings that are no unit on their own: 组织, 单位, 中心 …
    endings: dict[str, tuple[str, ...]]  # suffixes and whole names, by last character
    heads: tuple[str, ...]  # how unit names start: level words, provinces, unit words
    not_units: tuple[str, ...]
    # the endings again, by last character: their lengths, longest first, and as a set
    ending_lengths: dict[str, tuple[int, ...]]
    ending_words: dict[str, frozenset[str]]

    def ending(self, text: str, start: int, end: int) -> int:
        """Length of the longest unit ending of ``text[start:end]``, 0 if none."""
        if end <= start:
            return 0
        last = text[end - 1]
        lengths = self.ending_lengths.get(last)
        if lengths is None:
            return 0
        words = self.ending_words[last]  # a look-up a length, not a test a word (局: 178)
        room = end - start
        return next((n for n in lengths if n <= room and text[end - n : end] in words), 0)


@cache
def _lexicon() -> _Lexicon:
    data = resources.files("planc") / "data"
    tagged: dict[str, list[str]] = {"nt": [], "suffix": [], "level": [], "ns": []}
    for line in (data / "units.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1] in tagged:
            tagged[parts[-1]].append(parts[0])
    official = unit_lexicon()  # the State Council's bodies, and local department stems
    tagged["nt"].extend(official.central)
    tagged["suffix"].extend(stem for stem in official.stems if len(stem) >= 2)
    suffixes = tuple(tagged["suffix"])
    endings: dict[str, list[str]] = {}
    for word in sorted({*suffixes, *tagged["nt"]}, key=len, reverse=True):
        endings.setdefault(word[-1], []).append(word)
    return _Lexicon(
        units=frozenset(tagged["nt"]),
        suffixes=suffixes,
        bare=frozenset(w for w in suffixes if not w[1:].endswith(suffixes)),
        endings={char: tuple(words) for char, words in endings.items()},
        heads=tuple(
            sorted(
                [*tagged["level"], *tagged["ns"], *suffixes, *official.central],
                key=len,
                reverse=True,
            )
        ),
        not_units=tuple((data / "not_units.txt").read_text(encoding="utf-8").split()),
        ending_lengths={
            char: tuple(sorted({len(w) for w in words}, reverse=True))
            for char, words in endings.items()
        },
        ending_words={char: frozenset(words) for char, words in endings.items()},
    )


_COLLECTIVE = re.compile(r"各(?:有关|相关)?[省市县区旗盟州乡镇]{1,3}")
_EACH = re.compile(r"^各(?:有关|相关)?(?=..)")


_BRACKET_TAIL = re.compile(r"(.{2,}?)[(（][^()（）]{1,12}[)）]")


@lru_cache(maxsize=4096)
def is_unit(name: str) -> bool:
    """Whether ``name`` reads as a unit: a known one, 各区-like, or ending as unit names end."""
    lexicon = _lexicon()
    tail = _BRACKET_TAIL.fullmatch(name)
    if tail:
        return is_unit(tail.group(1))  # 政府办公厅（室）, 市交通委（计划财务处）
    if name in lexicon.units or _COLLECTIVE.fullmatch(name):
        return True
    if _EACH.sub("", name, count=1) in lexicon.units:
        return True  # 各试点城市: 各 before a known unit
    if name.startswith("每") or any(ch.isdigit() or ch == "%" for ch in name):
        return False
    if is_known(name):
        return True
    if name.endswith(lexicon.not_units) or name in lexicon.bare:
        return False
    return name.endswith(lexicon.suffixes)


@lru_cache(maxsize=4096)
def _starts_as_name(name: str) -> bool:
    """Whether a name opens with what only unit names open with: a level word, a place, a
    known body (市, 各, 内蒙古, 国家医保局)."""
    lexicon = _lexicon()
    return name.startswith(lexicon.heads) or name in lexicon.units


@lru_cache(maxsize=4096)
def _starts_cleanly(name: str) -> bool:
    """Whether a name begins as unit names do, not with a verb that governs it.

    Decided from the lexicon and the governing words alone (no part-of-speech tagger): a name
    that opens with neither a unit's head nor a verb of the lists is taken as a name.
    """
    if _starts_as_name(name):
        return True
    if name.startswith(_ACTIONS) or name.startswith(_GOVERNING):
        return False
    if name.startswith("联合") and len(name) > 4:  # 联合采购办公室 (joint), not 联合各级工会
        rest = name[2:]
        return not rest.startswith(_ACTIONS + _GOVERNING) and not _starts_as_name(rest)
    return True


_FIRST_LEADS = re.compile(
    r"(?=[列排在第])(?:列|排)?(?:在)?第一(?:位|个|家)(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
)


def first_listed_leads(text: str) -> bool:
    """Whether the document says the first unit of an owner list leads (列第一位者为牵头单位).

    The note is printed once (after the first owner bracket, in a table header or the front
    matter) and holds for the whole document.
    """
    return _FIRST_LEADS.search(text) is not None


def find_owners(text: str, context: Context) -> list[Hit]:
    """Owners in folded clause text; fields: name, role."""
    if not context.cells and not _may_name_owner(text):
        return []
    found = _Found(text, context.issuer)
    if context.cells:
        _cells(text, context, found)
    for start, end in _labelled(text, found, context.first_listed_leads):
        found.cover(start, end)
    _brackets(text, context, found)
    if not context.cells:
        _owner_lines(text, found, context.first_listed_leads)
    _backward(text, found)
    _forward(text, found)
    _openers(text, found)
    return sorted(found.hits, key=lambda hit: hit.start)


# The role a task-table column gives every unit listed under it, by its printed header.
_COLUMN_ROLES = (
    (re.compile(r"牵头"), "lead"),
    (re.compile(r"配合|协同|协办|参与|协助"), "cooperating"),
    (re.compile(r"指导"), "guiding"),
    (re.compile(r"责任|主责|负责|实施主体|推进|承办|主体|单位|部门"), "responsible"),
)


def _column_role(header: str) -> str | None:
    """The role a column header gives; a note in brackets (第一个为牵头单位) is no role."""
    header = _HEADER_NOTE.sub("", header.replace(" ", "").replace("\n", ""))
    return next((role for pattern, role in _COLUMN_ROLES if pattern.search(header)), None)


_HEADER_NOTE = re.compile(r"[(（][^()（）]*[)）]")


def _cells(text: str, context: Context, found: _Found) -> None:
    """A task-table row: every unit in a 牵头/责任/配合 cell, with the column's role."""
    for cell in context.cells:
        role = _column_role(cell.column)
        if role is None or cell.end <= cell.start:
            continue
        names = [
            item for item in _list_items(text, cell.start, cell.end) if _names_unit(text, *item)
        ]
        first_leads = context.first_listed_leads or bool(_FIRST_LEADS.search(cell.column))
        for index, (start, end) in enumerate(names):
            leads = index == 0 and first_leads and role == "responsible"
            found.add(start, end, "lead" if leads else role)
        found.cover(cell.start, cell.end)


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The units of a list that may run over lines (a cell printed one unit a line)."""
    items: list[tuple[int, int]] = []
    line_start = start
    breaks = []
    at = text.find("\n", start, end)
    while at >= 0:
        breaks.append(at)
        at = text.find("\n", at + 1, end)
    for line_end in [*breaks, end]:
        line_start, line_end = _strip_category(text, line_start, line_end)
        items.extend(_conjuncts(text, _split_units(text, line_start, line_end)))
        line_start = line_end + 1
    return items


# X、Y等有关部门和单位: the category after 等 is dropped (the guide's 等 rule)
_CATEGORY_TAIL = re.compile(
    r"等(?:其他)?(?:有关|相关)?(?:部门|单位|机构)?(?:和|及)?(?:部门|单位|机构)?$"
)


def _strip_category(text: str, start: int, end: int) -> tuple[int, int]:
    tail = _CATEGORY_TAIL.search(text, start, end)
    if tail and tail.end() > tail.start() + 1 and tail.start() - start >= 2:
        return start, tail.start()
    return start, end


# Words a unit printed in a list, cell or owner bracket may end with, beyond those that mark a
# unit anywhere: 处 会 站 队 署 … read as units only where the list says units are listed.
_LISTED_UNIT_ENDS = ("处", "科", "会", "站", "队", "署", "社", "台", "馆", "园", "所", "行", "组",
                     "公司", "集团", "主体", "街镇", "街道", "办事处", "联席会议")  # fmt: skip


def _names_unit(text: str, start: int, end: int) -> bool:
    """Whether a list item is a unit name (in a cell or an owner bracket: the list says so)."""
    name = text[start:end]
    if end - start < 2 or end - start > _MAX_NAME or _NOT_A_NAME.search(name):
        return False
    if name in _LISTED_UNIT_ENDS or name in _lexicon().bare:
        return False  # a unit word alone (主体, 部门) is a header's piece, not a unit
    return is_unit(name) or name.endswith(_LISTED_UNIT_ENDS)


# Sentence punctuation and numbers do not occur in a unit's name.
_NOT_A_NAME = re.compile(r"[。；;:!?%\d]")

# The role phrase that closes an owner bracket: （X牵头，Y、Z按职责分工负责）, （X、Y负责）,
# （X指导）, （X组织实施）, (Y配合). Some text may follow the role (负责落实).
_BRACKET_ROLE = re.compile(
    r"(?:按职责分工|按照职责分工|按职责|分工|分别|共同|牵头|具体|依职责)?"
    r"(?P<role>负总责|负责|牵头|指导|组织实施|配合|参与|协助|落实)"
    r"(?:落实|实施|推进|组织实施)?$"
)
_BRACKET_SIGNALS = {"负总责": "responsible", "负责": "responsible", "牵头": "lead",
                    "指导": "guiding", "组织实施": "responsible", "配合": "cooperating",
                    "参与": "cooperating", "协助": "cooperating", "落实": "responsible"}  # fmt: skip
_BRACKET_PARTS = re.compile(r"[，,；;]")


def _brackets(text: str, context: Context, found: _Found) -> None:
    """（X牵头，Y、Z按职责分工负责）: the owner bracket closing an item, of any length."""
    for open_at, close_at in _bracket_pairs(text):
        if found.is_covered(open_at, close_at):
            continue
        parsed = _bracket_owners(text, open_at + 1, close_at)
        if not parsed:
            continue
        if context.first_listed_leads and all(role != "lead" for _, _, role in parsed):
            start, end, role = parsed[0]
            if role == "responsible":
                parsed[0] = (start, end, "lead")
        for start, end, role in parsed:
            found.add(start, end, role)
        found.cover(open_at, close_at + 1)


_BRACKET_MARKS = re.compile(r"[()\n]")


def _bracket_pairs(text: str) -> Iterator[tuple[int, int]]:
    """Outermost ( … ) pairs, in one pass (a name's own brackets nest inside)."""
    if "(" not in text:
        return
    depth, open_at = 0, -1
    for mark in _BRACKET_MARKS.finditer(text):  # the brackets and line ends alone
        i, ch = mark.start(), mark.group()
        if ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                yield open_at, i
        elif ch == "\n":
            depth = 0  # a bracket never runs over a line


def _bracket_owners(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The units of an owner bracket with their roles; empty when it is no owner bracket."""
    if ":" in text[start:end]:
        return []  # (牵头单位:X,责任单位:Y) is read by _labelled
    owners: list[tuple[int, int, str]] = []
    for sentence_start, sentence_end in _spans(text, start, end, "。"):
        pending: list[tuple[int, int]] = []
        for part_start, part_end in _spans(text, sentence_start, sentence_end, "，,；;"):
            role_match = _BRACKET_ROLE.search(text, part_start, part_end)
            items_end = role_match.start() if role_match else part_end
            partner = text.find("会同", part_start, items_end)
            if partner > part_start:  # X会同Y负责: X keeps the role, Y cooperates
                partners = _list_items(text, partner + 2, items_end)
                if partners and all(_names_unit(text, *item) for item in partners):
                    owners.extend((s, e, "cooperating") for s, e in partners)
                items_end = partner
            items = _list_items(text, part_start, items_end)
            if not items or not all(_names_unit(text, *item) for item in items):
                pending = []
                break
            pending.extend(items)
            if role_match:
                role = _BRACKET_SIGNALS[role_match.group("role")]
                owners.extend((s, e, role) for s, e in pending)
                pending = []
        if pending:
            return []  # units without a role: a list in brackets, not owners
    return owners


def _spans(text: str, start: int, end: int, stops: str) -> list[tuple[int, int]]:
    """``text[start:end]`` split at any of ``stops`` outside brackets."""
    spans: list[tuple[int, int]] = []
    depth, part_start = 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0 and ch in stops:
            spans.append((part_start, i))
            part_start = i + 1
    spans.append((part_start, end))
    return [(s, e) for s, e in spans if e > s]


# A column header printed in the row's text is no unit (责任单位, 推进单位, 配合部门).
_COLUMN_HEADER = re.compile(
    r"(?:牵头|责任|主责|配合|协同|协办|参与|推进|实施|承办|主办|完成|落实)(?:单位|部门|主体)"
)


# A name over a date line is a signature (上海市绿化和市容管理局⏎2024年7月4日), not an owner.
_SIGNATURE_DATE = re.compile(
    r"\n[ \t]*(?:\d{4}|[〇○零一二三四五六七八九]{4}) ?年[^\n]{1,10}日[ \t]*(?:\n|$)"
)


def _owner_lines(text: str, found: _Found, first_leads: bool) -> None:
    """A task-table row: a cell that lists only units is an owner cell. Cells are lines (a row
    printed one cell a line) or parted by tabs or runs of spaces (one row a line).

    Without the column header (``Context.cells``) the role is not printed: responsible.
    """
    breaks = [*_CELL_BREAK.finditer(text)]
    cells = [(before.end(), after.start()) for before, after in itertools.pairwise(breaks)]
    if breaks:  # the first cell is the row's task
        cells.append((breaks[-1].end(), len(text)))
    for cell_start, cell_end in cells:
        if _owner_cell(text, cell_start, cell_end, found, first_leads):
            first_leads = False  # 第一个为牵头单位: the first unit of the owner cell


def _owner_cell(text: str, start: int, end: int, found: _Found, first_leads: bool) -> bool:
    if found.is_covered(start, end) or _SIGNATURE_DATE.match(text, end):
        return False
    if _names_no_unit(text, start, end, found.issuer):
        return False  # most cells are prose: told before their lists are read
    items = [
        (s, e) for s, e in _list_items(text, start, end) if text[s:e] != found.issuer
    ]  # the issuer alone on a line is its signature
    if (
        items
        and not any(_COLUMN_HEADER.fullmatch(text, s, e) for s, e in items)
        and all(_names_unit(text, *item) for item in items)
    ):
        for index, (item_start, item_end) in enumerate(items):
            found.add(item_start, item_end, "lead" if first_leads and index == 0 else "responsible")
        return True
    return False


def _names_no_unit(text: str, start: int, end: int, issuer: str | None) -> bool:
    """Whether some item of the list in ``text[start:end]`` can be no unit name, seen without
    reading the list: a line holds a character no name has (``_NOT_A_NAME``) where an item
    takes it in. Every character of a line but separators, edge spaces, 等 and 和/及 belongs to
    an item, unless a bracket left open at the line's end drops its last item: such a line is
    left to the full reading, as is an issuer printed with such a character (it is dropped)."""
    if issuer is not None and _NOT_A_NAME.search(issuer):
        return False
    line_start = start
    while line_start <= end:
        line_end = text.find("\n", line_start, end)
        if line_end < 0:
            line_end = end
        if _NOT_A_NAME.search(text, line_start, line_end) and _brackets_close(
            text, line_start, line_end
        ):
            return True
        line_start = line_end + 1
    return False


def _brackets_close(text: str, start: int, end: int) -> bool:
    """Whether no bracket is left open at ``end``, counted as ``_split_units`` counts."""
    depth = 0
    for mark in _BRACKET_ONLY.finditer(text, start, end):
        if mark.group() == "(":
            depth += 1
        elif depth:
            depth -= 1
    return depth == 0


_BRACKET_ONLY = re.compile(r"[()]")
_CELL_BREAK = re.compile(r"(?=[\n\t ])(?:\n|\t+| {2,})")


@cache
def _owner_signal() -> re.Pattern[str]:
    """What every owner found needs in the text: a role word (the signal of a role label, of
    X牵头 and of 配合X), or an action right after a character that can end a unit (an opener,
    市卫健委负责…; see ``_unit_ends``), or such a character ending a line (an owner cell)."""
    unit_last = {*_lexicon().endings, *"省市县区旗盟州乡镇"}
    signals = (*_LABEL_ROLES, *_BEFORE_ROLES)
    first = re.escape("".join(sorted({word[0] for word in signals} | unit_last | {"各"})))
    last = re.escape("".join(sorted(unit_last)))
    return re.compile(  # the look-ahead: the characters a signal opens with, skipped to in C
        rf"(?=[{first}])(?:{'|'.join(signals)}"
        rf"|[{last}](?:{_ACTION.pattern}|\n|\t| {{2}}|$)|各[省市县区旗盟州乡镇])"
    )


@cache
def _unit_last() -> re.Pattern[str]:
    """A character a unit name can end with, or a closing bracket."""
    return re.compile(f"[{re.escape(''.join(sorted(_lexicon().endings.keys() | {')'})))}]")


def _may_name_owner(text: str) -> bool:
    """A cheap first look: whether the clause can name an owner at all (most cannot)."""
    return _owner_signal().search(text) is not None


_ROLE_RANK = {"lead": 3, "responsible": 2, "cooperating": 1, "guiding": 0}
_SENTENCE_END = re.compile(r"[。；;!?]")


# a body with one of its offices in brackets: 市交通委（货运处）
_OFFICE = re.compile(r".{2,}?（([^（）、]{2,12})）")


class _Found:
    """Hits so far: each unit once with its strongest role, each stretch claimed by one signal."""

    def __init__(self, text: str, issuer: str | None) -> None:
        self.text = text
        self.issuer = issuer
        self.hits: list[Hit] = []
        self.names: dict[str, int] = {}  # canonical name → index in hits
        self.covered = bytearray(len(text))
        self._sentence_ends: list[int] | None = None
        heading = _HEADING_LINE.match(text)
        self.heading_end = heading.end() if heading else -1

    def cover(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)

    def is_covered(self, start: int, end: int) -> bool:
        return self.covered.find(1, start, end) >= 0

    def may_end_unit(self, start: int, end: int) -> bool:
        """Whether a unit name can end in ``text[start:end]``: some character there ends one
        (or closes a bracket). A stretch is at most a name long, so dense role words stay
        linear."""
        return _unit_last().search(self.text, start, end) is not None

    def sentence_start(self, at: int) -> int:
        """Where the sentence holding ``at`` begins (after 。；!? or a heading line).

        The sentence ends are found once per clause, so each look-up is a bisection: a clause
        of many short role phrases (，牵头，牵头…) stays linear.
        """
        if self._sentence_ends is None:
            self._sentence_ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        index = bisect.bisect_right(self._sentence_ends, at) - 1
        start = self._sentence_ends[index] if index >= 0 else 0
        if start < self.heading_end <= at:
            start = self.heading_end
        while start < at and self.text[start] in " \n":
            start += 1
        return start

    def add(self, start: int, end: int, role: str) -> None:
        name = _display_name(self.text[start:end])
        if name.startswith(("我", "本")):
            return
        keys = [canonical(name)]
        office = _OFFICE.fullmatch(name)
        if office:
            keys.append(canonical(office.group(1)))  # 市交通委（货运处） is 货运处
        index = next((self.names[key] for key in keys if key in self.names), None)
        if index is not None:
            if _ROLE_RANK[role] > _ROLE_RANK[self.hits[index].fields["role"]]:
                kept = self.hits[index]
                self.hits[index] = Hit(kept.start, kept.end, {**kept.fields, "role": role})
            self.cover(start, end)
            return
        for key in keys:
            self.names[key] = len(self.hits)
        self.hits.append(Hit(start, end, {"name": name, "role": role}))
        self.cover(start, end)


def _display_name(printed: str) -> str:
    """The name as Chinese prints it: full-width brackets, no stray spaces."""
    return printed.replace(" ", "").replace("(", "（").replace(")", "）")


def _labelled(text: str, found: _Found, first_leads: bool) -> Iterator[tuple[int, int]]:
    """牵头单位：X，配合单位：Y、Z — every unit listed after a role label; yields claimed spans.

    Under 责任单位 alone, the first unit leads where the document says the first listed leads.
    """
    labels = list(_LABEL.finditer(text))
    first_leads = first_leads and all(
        _LABEL_ROLES[m.group(1) or m.group(2)] != "lead" for m in labels
    )
    for index, match in enumerate(labels):
        role = _LABEL_ROLES[match.group(1) or match.group(2)]
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        end = _list_end(text, match.end(), limit)
        for number, (start, stop) in enumerate(_split_units(text, match.end(), end)):
            if stop - start >= 2:
                leads = first_leads and number == 0 and role == "responsible"
                found.add(start, stop, "lead" if leads else role)
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


_LIST_MARKS = re.compile(r"[()、，,]")


def _split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a list on 、，, outside brackets; 各区、县级市政府 and 省、市医保部门 stay one unit."""
    items: list[tuple[int, int]] = []
    depth, item_start = 0, start
    for mark in _LIST_MARKS.finditer(text, start, end):  # brackets and separators alone
        ch = mark.group()
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth:
                depth -= 1
        elif depth == 0:
            i = mark.start()
            trimmed = _trim(text, item_start, i)
            if trimmed:
                items.append(trimmed)
            item_start = i + 1
    if depth == 0:  # the end closes the last item, unless a bracket is left open
        trimmed = _trim(text, item_start, end)
        if trimmed:
            items.append(trimmed)
    merged: list[tuple[int, int]] = []
    for index, item in enumerate(items):
        if merged and _shares_head(text[slice(*items[index - 1])], text[slice(*item)]):
            merged[-1] = (merged[-1][0], item[1])
        else:
            merged.append(item)
    return _shared_field_heads(text, merged)


def _shared_field_heads(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """医保、医疗、医药主管部门: short field words before a unit share its head: one name."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for start, end in items:
        name = text[start:end]
        if end - start <= 2 and not is_unit(name) and name not in _lexicon().units:
            run.append((start, end))
            continue
        if run and is_unit(name) and not _starts_as_name(name):
            out.append((run[0][0], end))
        else:
            out.extend(run)
            out.append((start, end))
        run = []
    out.extend(run)
    return out


# level words that open a unit's name: 各省、自治区、直辖市人民政府
_LEVEL_HEADS = ("自治区", "自治州", "自治县", "直辖市", "计划单列市", "新疆生产建设兵团", "兵团")


def _shares_head(before: str, after: str) -> bool:
    """省、市医保部门, 各省、自治区、直辖市人民政府: bare level words share the unit after them."""
    return (
        len(before) <= 4
        and before[-1] in _LEVEL_ENDS
        and (after[0] in _LEVEL_STARTS or after.startswith(_LEVEL_HEADS))
        and not before.endswith(_lexicon().suffixes)
        and before not in _lexicon().units
    )


_BARE_CATEGORY = re.compile(r"(?:其他)?(?:有关|相关)?(?:部门|单位|机构|政府)")


def _conjuncts(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """X和Y → X, Y; but 人力资源和社会保障局 (a 和 inside the unit ending), 工业和信息化部 (a known
    name) and 各有关部门和单位 (a bare category after 和) are one name."""
    parts: list[tuple[int, int]] = []
    lexicon = _lexicon()
    for start, end in items:
        if is_known(text[start:end]):
            parts.append((start, end))
            continue
        ending = lexicon.ending(text, start, end)
        cut = start
        for match in _CONJUNCTION.finditer(text, start, end - ending):
            if match.start() - cut >= 2 and not _BARE_CATEGORY.fullmatch(text, match.end(), end):
                parts.append((cut, match.start()))  # not the 和 of 呼和浩特
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
    subjectless: set[tuple[int, str]] = set()  # (sentence, role) already read: ，牵头，牵头…
    for match in _ROLE_AFTER.finditer(text):
        at = match.start()
        if found.is_covered(at, match.end()) or _NOT_ROLE_NEXT.match(text, match.end()):
            continue
        if at > 0 and text[at - 1] in "，,。\n":
            key = (found.sentence_start(at), match.group())
            if key in subjectless:
                continue
            subjectless.add(key)
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
        if end == start and role in ("lead", "responsible"):
            subject = None
            if start > 0 and text[start - 1] in "，,":
                subject = _subject(text, start - 1, found)  # X设在Y，具体负责…
            subject = subject or _heading_unit(text)  # 监督组。负责对…进行监督
            if subject:
                found.add(*subject, role)
            continue
        if end == start:
            continue
        if text.endswith(_ROLE_WORDS, start, end):
            continue  # X牵头负责: already read at 牵头
        end = _strip_category(text, start, end)[1]  # X、Y等有关部门负责: X and Y
        units = _conjuncts(text, _split_units(text, start, end))
        if units and _all_units(text, units, check_head=lead_in < 0):
            for unit_start, unit_end in units:
                found.add(unit_start, unit_end, role)


def _heading_unit(text: str) -> tuple[int, int] | None:
    """A clause whose heading is a unit's name alone (监督组。负责…): the unit it is about."""
    stop = _HEADING_STOP.search(text, 0, _MAX_NAME + 1)
    if stop is None:
        return None
    name = text[: stop.start()].strip()
    if len(name) >= 2 and is_unit(name) and _starts_cleanly(name) and _starts_as_unit_word(name):
        return 0, len(name)
    return None


_HEADING_STOP = re.compile(r"[。；;!?\n]")


def _starts_as_unit_word(name: str) -> bool:
    """A heading that is a name, not a task ending in a unit word (设立专家组): no action in it."""
    return _ACTION.search(name) is None and not name.startswith(_GOVERNING)


def _subject(text: str, at: int, found: _Found) -> tuple[int, int] | None:
    """The unit opening the sentence before ``at`` when a predicate follows it (X设在Y，…).

    The name ends where a unit ending is not continued by another unit word (试点工作小组 goes on
    to 办公室) and some text, the predicate, still follows within the stretch.
    """
    start = found.sentence_start(at)
    stop = _STRETCH_STOP.search(text, start, at)
    end = stop.start() if stop else at
    if end - start < 3 or end - start > _MAX_NAME:
        return None
    lexicon = _lexicon()
    for cut in range(start + 2, end):
        if (
            not lexicon.ending(text, start, cut)
            or _continues_name(text, cut, end)
            or _inside_word(text, start, cut)
        ):
            continue
        name = text[start:cut]
        if is_unit(name) and _starts_cleanly(name):
            return start, cut
        return None
    return None


def _inside_word(text: str, start: int, cut: int) -> bool:
    """Whether ``cut`` falls inside a unit word (试点工作小组办|公室)."""
    return any(
        text.startswith(word, cut - k)
        for word in _lexicon().suffixes
        for k in range(1, min(len(word), cut - start + 1))
    )


def _continues_name(text: str, at: int, end: int) -> bool:
    """Whether a unit word starts at ``at`` (小组|办公室): the name runs on."""
    lexicon = _lexicon()
    return any(
        text.startswith(word, at) and lexicon.ending(text, at, at + len(word))
        for word in lexicon.suffixes
        if at + len(word) <= end
    )


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
        if not found.may_end_unit(start, stretch_end) and not text.startswith("其", start):
            continue  # no unit name can end in the stretch (由由由…, 会同会同…)
        ends = _unit_ends(
            text, start, stretch_end, with_tail=keyword == "与", at_stop=keyword != "由"
        )
        if keyword == "由":
            formed = _FORMED.match(text, start)
            if formed:  # 由X、Y组成…: members of a body being formed are no owners
                body = _formed_body(text, formed.end())
                if body:  # …组成Z（以下简称…），领导…: the body formed acts
                    found.add(*body, "responsible")
                continue
            if text.startswith("其", start):
                antecedent = _antecedent(text, match.start())
                if antecedent:  # 移送市场监管部门，由其…处罚: the unit just named
                    found.add(*antecedent, "responsible")
                continue
        for end in ends:
            list_end = _strip_category(text, start, end)[1]  # 会同X等部门: X
            units = _conjuncts(text, _split_units(text, start, list_end))
            names = [text[s:e] for s, e in units]
            if (
                names
                and not names[0].startswith(_ACTIONS)
                and all(map(is_unit, names))
                and (keyword != "由" or _starts_cleanly(names[0]))
                and (keyword != "联合" or _starts_as_name(names[0]))
            ):  # 联合采购办公室汇总…: 联合 opens the name, it governs none
                for unit_start, unit_end in units:
                    found.add(unit_start, unit_end, _BEFORE_ROLES[keyword])
            break


# 由X、Y组成…, 由X选派人员参加: the units after 由 are members, not owners
_FORMED = re.compile(r"[^，,。；;!?\n]{0,60}?(?:组成(?!员)|构成|组建|参加|派员|选派)")


_FORMED_BODY = re.compile(r"[^，,。；;!?\n()]{2,40}")


def _formed_body(text: str, at: int) -> tuple[int, int] | None:
    """由X、Y组成Z（以下简称…），领导…: Z, when the sentence goes on to say what it does."""
    if not text.endswith(("组成", "组建"), 0, at):
        return None
    name = _FORMED_BODY.match(text, at)
    if name is None or not is_unit(name.group()):
        return None
    after = name.end()
    if text.startswith("(", after):
        close = text.find(")", after, after + 30)
        after = close + 1 if close > 0 else after
    if (
        text.startswith(("，", ","), after)
        and after + 1 < len(text)
        and text[after + 1] not in "。\n"
    ):
        return name.start(), name.end()
    return None


def _antecedent(text: str, at: int) -> tuple[int, int] | None:
    """The unit ending the phrase before ``由其`` (移送市场监管部门，由其…): the one 其 names."""
    stop = at - 1
    if stop < 2 or text[stop] not in "，,":
        return None
    for begin in range(max(0, stop - _MAX_NAME), stop - 1):
        name = text[begin:stop]
        if _STRETCH_STOP.search(name) or _ACTION.search(name):
            continue
        if is_unit(name) and _starts_as_name(name):
            return begin, stop
    return None


def _governs(text: str, at: int, keyword: str) -> bool:
    """配合X at the start of a phrase or after an adverb; not 成立联合采购办公室 (part of a name)."""
    if keyword in ("与", "由", "会同") or at == 0 or text[at - 1] in _STRETCH_STOPS:
        return True  # X会同Y: 会同 follows the unit that keeps its role
    if at >= 2 and _ENUMERATOR.fullmatch(text, at - 2, at):
        return True  # 一是依托X
    return text.endswith(_ADVERBS, 0, at)


# A fronted adverbial before the sentence's subject: a time (2019年12月底前，) or a purpose or
# ground (为…，按照…，根据…，) phrase ending at the first comma.
_FRONTED = re.compile(
    r"(?:(?:到|至|在|于)?[\d年月日底末中上下半季度初一二三四]{2,16}(?:前|以前|之前|起|内|以来)?"
    r"|(?:为|为了|按照|根据|依据|围绕|对照|针对)[^，,。；;!?\n]{1,30}),"
)


# A duty stated right after the subject of a clause (要, 应, 不得 …): that subject is an owner
# also when the clause follows a comma.
_DUTY = re.compile(r"要|应|须|必须|务必|不得|严禁|负责|牵头|承担")


def _openers(text: str, found: _Found) -> None:
    """市级中医医院选择…, 各盟市积极申报…: a unit that opens a sentence and acts."""
    starts: list[tuple[int, bool]] = [
        (_LEADING_SPACE.match(text).end(), False),  # type: ignore[union-attr]  # matches ""
        *((match.end(), False) for match in _SENTENCE_START.finditer(text)),
        *((match.end(), True) for match in _COMMA_START.finditer(text)),
    ]
    heading = _HEADING_LINE.match(text)
    if heading:
        starts.append((heading.end(), False))
    for start, after_comma in list(starts):
        fronted = _FRONTED.match(text, start)
        if fronted and not after_comma:
            starts.append((fronted.end(), False))  # 2019年12月底前，试点地区完成…
    for start, after_comma in starts:
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
            if after_comma and not (text.startswith("各", start) or _DUTY.match(text, end)):
                break  # a clause after a comma: its subject acts only under a stated duty
            list_end = _strip_category(text, start, end)[1]  # X、Y等单位: X and Y
            units = _conjuncts(text, _split_units(text, start, list_end))
            names = [text[s:e] for s, e in units]
            declared = list_end < end  # the category says the items are units
            if (
                names
                and all(is_unit(n) or (declared and _names_unit(text, s, e))
                        for n, (s, e) in zip(names, units, strict=True))
                and (count is not None or _starts_cleanly(names[0]))
            ):  # fmt: skip
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
    ends: Iterable[int]  # lazily: callers take the first end that reads as a unit
    if with_tail:
        ends = (
            m.start()
            for m in _WITH_TAIL.finditer(text, start + 2, end)
            if m.group(1) or m.end() == end  # 与X协作机制 is no partner
        )
    else:
        ends = (m.start() for m in _ACTION.finditer(text, start + 2, end))
        if at_stop:
            ends = itertools.chain(ends, (end,))
    if collective and not with_tail:
        whole = _COLLECTIVE.match(text, start, end)
        if whole and not _NOT_AFTER_COLLECTIVE.match(text, whole.end()):
            ends = itertools.chain(ends, (whole.end(),))  # 各区调查…: any verb after 各区
    for i in ends:
        if text[i - 1] not in lexicon.endings and text[i - 1] != ")" and not collective:
            continue  # a cheap look first: no unit name ends with this character
        stem_end = _before_bracket_tail(text, start, i)  # 试点地区政府办公厅（室）
        if lexicon.ending(text, start, stem_end) or (
            collective and _COLLECTIVE.fullmatch(text, start, stem_end)
        ):
            yield i


# 各区（县级市）, 各区域, 各市场主体: the collective runs on into a longer word
_NOT_AFTER_COLLECTIVE = re.compile(r"[(域场]")


def _before_bracket_tail(text: str, start: int, end: int) -> int:
    """Where a name ends before a short bracket closing it: 办公厅（室） → 办公厅."""
    if end - start < 4 or text[end - 1] != ")":
        return end
    opening = text.rfind("(", max(start + 2, end - 8), end - 1)
    return opening if opening > 0 else end
