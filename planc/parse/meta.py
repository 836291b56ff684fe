"""Metadata from the front matter: title, issuer, 发文字号, 成文日期, plan year, recipients.

Never guessed: a field is set only when a line of the front matter says it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from planc.parse.labels import chinese_to_int, match_label
from planc.parse.lines import Kind, Line, squeeze_spaces, width
from planc.textmap import fold, fold_alnum

_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,16}) *[〔\[【(（［{] *((?:19|20)\d\d) *[〕\]】)）］}] *(\d{1,5}) *号"
)
_CN_DATE_DIGIT = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    r"(?:——|—|-)?[(（]?((?:19|20)\d\d) *年 *(\d{1,2}) *月 *(\d{1,2}) *日[)）]?"
    rf"|[(（]?([{_CN_DATE_DIGIT}]{{4}})年([{_CN_DATE_DIGIT}]{{1,3}})月([{_CN_DATE_DIGIT}]{{1,3}})日[)）]?"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_CN_YEAR = re.compile(r"([一二][〇○零一二三四五六七八九]{3})年")
# A covering notice names the plan it sends (关于印发X的通知), or the plan it asks about
# (关于向社会公开征求《X》意见的公告): X, not the notice, is the title.
_NOTICE = re.compile(
    r"关于(?:(?:印发|转发|下发)(.+?)|[^《]*(《.+?》)[^《》]*)的 *(?:通 *知|通 *告|公 *告|函)$"
)
_ISSUER_END = re.compile(
    r"(?:办公室|办公厅|委员会|人民政府|政府|领导小组|小组|局|厅|委|部|院|中心|办|会|署|府)$"
)
_SENTENCE_PUNCT = re.compile(r"[。；;！？!?]")
_PROSE_MARKS = re.compile(r"[，,《》“”]")  # in running text, never in a unit's name
# The part of a 发文字号 after the issuer's short name: searched first, as it is cheap to find.
_DOC_NUMBER_TAIL = re.compile(r"[〔\[【(（［{] *(?:19|20)\d\d *[〕\]】)）］}] *\d{1,5} *号")


@dataclass(slots=True)
class FoundMeta:
    """Metadata values with the original ``(start, end)`` of each."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued: date | None = None
    year: int | None = None
    recipients: list[str] = field(default_factory=list)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _content(lines: list[Line]) -> list[Line]:
    text = Kind.TEXT  # looked up once: a front matter may have 200,000 blank lines
    return [line for line in lines if line.kind is text]


def _strip_span(line: Line) -> tuple[str, int, int]:
    text = line.content
    stripped = text.strip().lstrip("#").lstrip()  # a Markdown heading mark is no part of it
    lead = len(text) - len(text.lstrip().lstrip("#").lstrip())
    return stripped, line.start + lead, line.start + lead + len(stripped)


def extract_meta(
    front_lines: list[Line], full_line: float = math.inf, back_lines: Sequence[Line] = ()
) -> FoundMeta:
    """Read the metadata that the front matter lines state, and the signature at the end.

    A site's header lines (``标题:``, ``文号:``, ``发布日期:``) and header table (发文机关,
    发文字号, 成文日期) are sources of metadata, never the title: the title is the plan's own.
    """
    found = FoundMeta()
    lines = _content(front_lines)
    fields = _header_fields(lines, full_line)
    body = [line for line in lines if id(line) not in fields.lines]
    date_index = _find_issued(body, found)
    if found.issued is None and "issued" in fields.values:
        _set_issued(found, *fields.values["issued"])
    _find_doc_number(body, found)
    if found.doc_number is None and "doc_number" in fields.values:
        text, start, _ = fields.values["doc_number"]
        m = _DOC_NUMBER.search(fold(text))
        if m:
            found.doc_number = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            found.spans["doc_number"] = (start + m.start(), start + m.end())
    signature = _content(list(back_lines))
    if date_index is None and found.issued is None and signature:
        end_date = _find_issued(signature, found)
        if end_date:  # the signature at the end: the issuer stands above the date
            text, start, end = _strip_span(signature[end_date - 1])
            if _looks_like_unit(squeeze_spaces(text)):
                found.issuer, found.spans["issuer"] = issuer_text(text), (start, end)
    if found.issuer is None and "issuer" in fields.values:
        text, start, end = fields.values["issuer"]
        found.issuer, found.spans["issuer"] = issuer_text(text), (start, end)
    if found.issuer is None:
        _find_issuer(body, date_index, found)
    _find_title(body, date_index, found, full_line)
    _find_recipients(body, found, full_line)
    found.year = _plan_year(found)
    return found


# A site's header: ``标题: …`` lines of a repository, ``发布日期：…`` lines of a web page, or a
# header table of cells (索引号 | … | 发文机关 | 国务院 | 成文日期 | 2018年11月16日).
_FIELD_KEY = re.compile(r"[#>*\s]*([\u4e00-\u9fff]{2,6}) *[:：] *(\S.*)")
_ISSUER_KEYS = frozenset({"发文机关", "发文单位", "制发机关", "发布机关"})
_NUMBER_KEYS = frozenset({"发文字号", "文号", "文件编号"})
_ISSUED_KEYS = frozenset({"成文日期", "成文时间"})
_TABLE_KEYS = (
    _ISSUER_KEYS | _NUMBER_KEYS | _ISSUED_KEYS | {"索引号", "主题分类", "发布日期", "标题"}
)
_CELL_GAP = re.compile(r"\t|[ \u3000]{2,}")


@dataclass(slots=True)
class _Fields:
    lines: dict[int, Line] = field(default_factory=dict)  # id(line) → the header lines
    values: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def _header_fields(lines: list[Line], full_line: float) -> _Fields:
    """The site header lines of the front matter and what their fields say."""
    fields = _Fields()
    wrapped = False  # the line before was a header line broken by the page width
    pending: str | None = None  # a key alone on its line (a header table a cell a line)
    for line in lines:
        content = line.content
        cells = [c for c in _CELL_GAP.split(content.strip()) if c.strip()]
        keyed = _FIELD_KEY.fullmatch(content.strip()) if len(content) <= 300 else None
        pairs: list[tuple[str, str]] = []
        alone = squeeze_spaces(content).rstrip(":：") if len(content) <= 10 else ""
        if alone in _TABLE_KEYS:
            fields.lines[id(line)] = line
            pending = alone
            continue
        if pending is not None:
            pairs, pending = [(pending, content.strip())], None
        elif len(cells) >= 2 and squeeze_spaces(cells[0]).rstrip(":：") in _TABLE_KEYS:
            pairs = [
                (squeeze_spaces(cells[i]).rstrip(":："), cells[i + 1].strip())
                for i in range(0, len(cells) - 1, 2)
            ]
        elif keyed and not _SENTENCE_PUNCT.search(keyed.group(1)):
            pairs = [(keyed.group(1), keyed.group(2))]
        if not pairs:
            if wrapped:  # the rest of a header line the page width broke
                fields.lines[id(line)] = line
                wrapped = line.width >= full_line - 1
            continue
        fields.lines[id(line)] = line
        wrapped = line.width >= full_line - 1
        for key, value in pairs:
            at = content.find(value)
            start, end = line.start + at, line.start + at + len(value)
            if key in _ISSUER_KEYS and _looks_like_unit(squeeze_spaces(value)):
                fields.values.setdefault("issuer", (value, start, end))
            elif key in _ISSUED_KEYS:
                fields.values.setdefault("issued", (value, start, end))
            elif key in _NUMBER_KEYS:
                fields.values.setdefault("doc_number", (value, start, end))
    return fields


def _set_issued(found: FoundMeta, text: str, start: int, end: int) -> None:
    folded = fold(text)
    m = _DATE.search(folded)
    if m:
        when = _date_of(m)
        if when:
            found.issued = when
            found.spans["issued"] = (start + m.start(), start + m.end())


def _find_doc_number(lines: list[Line], found: FoundMeta) -> None:
    for line in lines:
        text, start, _ = _strip_span(line)
        folded = fold(text)
        m = _DOC_NUMBER.search(folded) if _DOC_NUMBER_TAIL.search(folded) else None
        if m and len(m.group(0)) * 10 >= len(text) * 6:
            found.doc_number = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            found.spans["doc_number"] = (start + m.start(), start + m.end())
            return


def _find_issued(lines: list[Line], found: FoundMeta) -> int | None:
    for index, line in enumerate(lines):
        text, start, _ = _strip_span(line)
        folded = fold(text)
        m = _DATE.match(folded)
        if not m or (m.end() != len(folded) and not folded.startswith(("——", "—"))):
            continue
        when = _date_of(m)
        if when is None:
            continue
        found.issued = when
        lead = len(m.group(0)) - len(m.group(0).lstrip("—-(（"))
        found.spans["issued"] = (start + m.start() + lead, start + m.end())
        # Only a date alone on its line closes a signature block (issuer above it).
        return index if m.end() == len(folded) else None
    return None


def _date_of(m: re.Match[str]) -> date | None:
    """The date a ``_DATE`` match prints, in Arabic or Chinese numerals; None if none."""
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        y = int("".join(str(_cn_digit(ch)) for ch in m.group(4)))
        mo, d = chinese_to_int(m.group(5)) or 0, chinese_to_int(m.group(6)) or 0
    if not 1900 <= y <= 2099:  # as the Arabic form: 九九九九年 is no date of issue
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _cn_digit(ch: str) -> int:
    return 0 if ch in "〇○零" else (chinese_to_int(ch) or 0)


def _looks_like_unit(text: str) -> bool:
    return (
        len(text) <= 40
        and not _SENTENCE_PUNCT.search(text)
        and not _PROSE_MARKS.search(text)
        and bool(_ISSUER_END.search(text))
    )


_SIGNATURE_GAP = re.compile(r"[ \t\u3000\u00a0\u2000-\u200a]{2,}")


def issuer_text(text: str) -> str:
    """The issuer as printed, spaces squeezed; two bodies signing together (``海南省农业农村厅
    ⌴⌴⌴⌴海南省财政厅``) stay apart, one space between them."""
    parts = [squeeze_spaces(part) for part in _SIGNATURE_GAP.split(text.strip())]
    if len(parts) > 1 and all(len(part) >= 4 for part in parts):
        return " ".join(parts)
    return squeeze_spaces(text)


def _find_issuer(lines: list[Line], date_index: int | None, found: FoundMeta) -> None:
    if date_index:
        text, start, end = _strip_span(lines[date_index - 1])
        if _looks_like_unit(squeeze_spaces(text)) and "关于" not in text:
            found.issuer, found.spans["issuer"] = issuer_text(text), (start, end)
            return
    for line in lines[:3]:
        text, start, _ = _strip_span(line)
        unit = _red_header(text)
        if unit and _looks_like_unit(squeeze_spaces(unit)):
            found.issuer = issuer_text(unit)
            found.spans["issuer"] = (start, start + len(unit))
            return
    for line in lines[:4]:
        text, start, _ = _strip_span(line)
        head = text.split("关于", 1)[0] if "关于" in text else ""
        if head and _looks_like_unit(squeeze_spaces(head)):
            found.issuer, found.spans["issuer"] = issuer_text(head), (start, start + len(head))
            return


def _red_header(text: str) -> str | None:
    """The issuer of a red-header line ``XX文件``, else None (no regex: no backtracking)."""
    head = text[:-2]
    if not head or "\n" in text or not text.endswith("文件"):
        return None
    return head[: max(1, len(head.rstrip(" ")))]  # what (.+?) *文件 would take


def _title_like(text: str) -> bool:
    if not 0 < len(text) <= 60:
        return False
    folded = fold(text)
    return (
        not _SENTENCE_PUNCT.search(folded)
        and "," not in folded  # a comma is running text: a preamble broken into short lines
        and not folded.endswith((":", "、"))
        and not folded.startswith(("—", "-"))
        and not _DOC_NUMBER.search(folded)
        and not _DATE.fullmatch(folded)
        and not _red_header(text)
        and not (folded.startswith("(") and folded.endswith(")"))
        and not _NOT_TITLE.fullmatch(folded)
        and match_label(folded) is None  # an item of an attachment list
    )


# Never the title: 附件1 above an attached plan, a scraper's quoted note (> …), a web page's
# title line (… _中国政府网, … | 某某市人民政府), a 时间：/来源： line.
_NOT_TITLE = re.compile(
    r"附 *件 *\d{0,2} *:?|>.*|.*[_|｜] *[^_|｜]*(?:网|网站|门户|政府|平台)|.{0,6}(?:时间|日期|来源):.*"
)


_MAX_TITLE = 80  # characters: a longer run of short lines is a broken-up preamble
_NOTICE_END = re.compile(r"(?:通 *知|通 *告|公 *告|函)$")


def _paragraphs(
    lines: list[Line], date_index: int | None, full_line: float
) -> list[tuple[str, int, int, bool]]:
    """Lines joined where the page width broke them: ``(text, start, end, signer)``, where
    ``signer`` marks the line above the date (a signature, never a title)."""
    paragraphs: list[tuple[str, int, int, bool]] = []
    previous: Line | None = None
    for index, line in enumerate(lines):
        text, start, end = _strip_span(line)
        signer = index == (date_index or -1) - 1 and _looks_like_unit(squeeze_spaces(text))
        if (
            previous is not None
            and paragraphs
            and not signer
            and not paragraphs[-1][3]
            and previous.width >= full_line
            and paragraphs[-1][0][-1:] not in "。！？；：:;!?"
        ):
            last = paragraphs[-1]
            # Past twice a title's length the text is no title: stop copying it (linear time).
            joined = last[0] + text if len(last[0]) <= 2 * _MAX_TITLE else last[0]
            paragraphs[-1] = (joined, last[1], end, False)
        else:
            paragraphs.append((text, start, end, signer))
        previous = line
    return paragraphs


def _title_groups(
    lines: list[Line], date_index: int | None, full_line: float = math.inf
) -> list[tuple[str, int, int]]:
    """Runs of consecutive title-like paragraphs, joined; the line above the date is a
    signature. Linear: a run is joined only while it may still be a title."""
    groups: list[tuple[str, int, int]] = []
    run: list[tuple[str, int, int]] = []
    run_length = 0
    for paragraph in [*_paragraphs(lines, date_index, full_line), None]:
        if paragraph and not paragraph[3] and _title_like(paragraph[0]):
            text, start, end, _ = paragraph
            run.append((text, start, end))
            run_length += len(text)
            if run_length > _MAX_TITLE:
                if _NOTICE_END.search(text):
                    run, run_length = [], 0  # an overlong notice title: no title here
                continue
            if not _NOTICE.search(squeeze_spaces("".join(t for t, _, _ in run))):
                continue  # a covering notice's title ends at its 通知
        if run and run_length <= _MAX_TITLE:
            groups.append(("".join(t for t, _, _ in run), run[0][1], run[-1][2]))
        run, run_length = [], 0
    return groups


def _find_title(
    lines: list[Line], date_index: int | None, found: FoundMeta, full_line: float = math.inf
) -> None:
    groups = _title_groups(lines, date_index, full_line)
    if not groups:
        return
    text, start, end = groups[0]
    notice = _NOTICE.search(squeeze_spaces(text))
    if notice:
        inner = (notice.group(1) or notice.group(2)).strip("《》")
        if "》" in inner:
            inner = inner.split("》", 1)[0]
        # The plan's own title line, as printed, wins over the notice's way of naming it.
        for other, o_start, o_end in groups[1:]:
            if _similar(squeeze_spaces(other), inner):
                text, start, end = other, o_start, o_end
                break
        else:
            found.title = fold_alnum(inner)
            found.spans["title"] = (start, end)
            return
    found.title = fold_alnum(squeeze_spaces(text))
    found.spans["title"] = (start, end)


def _similar(title: str, named: str) -> bool:
    """Whether a title line is the plan a covering notice names (关于印发X的通知)."""
    if title == named or (len(named) >= 6 and named in title):
        return True  # the plan's line may add its period: X（2024-2026年）
    shared = sum(min(title.count(ch), named.count(ch)) for ch in set(named))
    return shared >= 0.7 * max(len(title), len(named))


def _find_recipients(lines: list[Line], found: FoundMeta, full_line: float) -> None:
    """主送机关: the line that ends with a colon, with the full-width lines it continues."""
    for index, line in enumerate(lines[:30]):
        text, start, end = _strip_span(line)
        if len(text) > 300:
            continue
        folded = fold(text)
        if folded.endswith(":") and not _SENTENCE_PUNCT.search(folded):
            first = index
            while first > 0 and _continues(_strip_span(lines[first - 1])[0], full_line):
                first -= 1
            start = _strip_span(lines[first])[1]
            body = "".join(_strip_span(part)[0] for part in lines[first:index]) + text[:-1]
            found.recipients = [squeeze_spaces(name) for name in split_units(body) if name]
            found.spans["recipients"] = (start, end - 1)
            return


def _continues(text: str, full_line: float) -> bool:
    """A line broken by the page width, its sentence going on in the next line."""
    folded = fold(text)
    return width(text) >= full_line and not _SENTENCE_PUNCT.search(folded) and folded[-1:] != ":"


def split_units(text: str) -> list[str]:
    """Split a list of units on 、，, and spaces that stand outside brackets."""
    names: list[str] = []
    depth, current = 0, list[str]()
    for ch in text:
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(depth - 1, 0)
        if depth == 0 and ch in "、，,;；":
            names.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    names.append("".join(current).strip())
    return [n for n in names if n]


def _plan_year(found: FoundMeta) -> int | None:
    if found.title:
        m = _YEAR.search(fold(found.title))
        if m:
            return int(m.group(1))
        cn = _CN_YEAR.search(found.title)  # 二〇二三年
        if cn:
            return int("".join(str(_cn_digit(ch)) for ch in cn.group(1)))
    if found.doc_number:
        m = _YEAR.search(found.doc_number)
        if m:
            return int(m.group(1))
    return found.issued.year if found.issued else None
