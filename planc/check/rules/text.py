"""Text: damage and slips in the prose — broken lines, doubled words, stray Latin, punctuation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from planc.check import Problem, Rule, register
from planc.check.document import Document

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN}]")
# A line ending in one of these is complete (the set planc.parse joins lines by).
SENTENCE_END = frozenset('。！？；：!?;:…)）】》」』”’"')
_PROSE_MARK = re.compile("[，、。；：,;]")
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–_~]+\s*\d{1,4}\s*[-—–_~]+|第\s*\d{1,4}\s*页.*|\d{1,3})\s*")
_EDGE = " \t\u3000\u00a0\ufeff"


def _is_han(ch: str) -> bool:
    return bool(ch) and bool(_HAN.match(ch))


@register
class BrokenSentence(Rule):
    """A sentence is broken across lines, blank lines between its halves.

    Text copied out of a PDF keeps the page break: a line stops mid-sentence (``有所突``) and
    the sentence goes on after blank lines (``破。``). planc joins the halves when it parses,
    but the draft still shows the break; it is reported where the first half stops.
    A line that ends in sentence punctuation, a heading (a line with no punctuation at all)
    and a label line are not broken.
    """

    id = "PC301"
    name = "broken-sentence"
    severity = "error"
    bad = "1. 加大医保支持力度。争取在新增中医药服务价格项目等方面有所突\n\n破。与市医保局密切配合。\n"
    good = "1. 加大医保支持力度。争取在新增中医药服务价格项目等方面有所突破。与市医保局密切配合。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for clause in doc.clauses:
            lines = list(doc.lines(clause.span.start, clause.span.end))
            label_start = doc.label_start(clause)
            for i, (offset, content) in enumerate(lines):
                body = content.rstrip(_EDGE)
                if i == 0:  # judge the label line by what follows the label
                    after = max(label_start - offset, 0) + len(clause.label)
                    body = content[after:].strip(_EDGE)
                if not body or body[-1] in SENTENCE_END or not _PROSE_MARK.search(body):
                    continue
                following = self._continuation(lines, i + 1)
                if following is None:
                    continue
                next_offset, next_text = following
                end = offset + len(content.rstrip(_EDGE))
                yield Problem(
                    end - 1,
                    end,
                    f"sentence broken across lines: '…{body[-6:]}' goes on at line "
                    f"{doc.position(next_offset)[0]}: '{next_text[:6]}…'",
                )

    @staticmethod
    def _continuation(lines: list[tuple[int, str]], start: int) -> tuple[int, str] | None:
        """The next line with text, if blank lines or page numbers come before it."""
        skipped = 0
        for offset, content in lines[start:]:
            text = content.strip(_EDGE)
            if not text or _PAGE_NUMBER.fullmatch(text):
                skipped += 1
                continue
            return (offset, text) if skipped else None
        return None


# Doubled function words that are never right (等等 is, so it is not here).
_DOUBLED_PARTICLE = re.compile("([的了和在是与及对将把为从被])\\1")
_DOUBLED_WORD = re.compile(f"([{HAN}]{{2,4}})\\1")
_STRAY_CHAR = re.compile(f"(?=([{HAN}])([{HAN}])\\1)")
_FUNCTION_CHARS = frozenset("的地得了着过和与及或等之其在对为是把被将从以于向也都就还又并而且")
_COMMON = 1000  # jieba frequency above which a word is common enough to trust


@cache
def _dictionary() -> dict[str, int]:
    """jieba's word list with frequencies, read on first use (about 0.3 s)."""
    import jieba

    words: dict[str, int] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split(" ")
            if len(parts) >= 2 and parts[1].isdigit():
                words[parts[0]] = int(parts[1])
    return words


@register
class RepeatedWord(Rule):
    """A word or character is typed twice.

    ``建设建设``, ``的的`` and a stray character before a word that ends with it
    (``推进大重大政策`` for ``推进重大政策``). Reduplication that Chinese uses on purpose
    (``层层``, ``一一``, ``等等``, ``共建共享``) is not reported: a doubled unit must be a
    dictionary word, and a stray character must not form a word with the one before it.
    """

    id = "PC302"
    name = "repeated-word"
    severity = "error"
    bad = "1. 推进法治政府和平安建设建设。及时研究解决推进大重大政策问题。\n"
    good = "1. 推进法治政府和平安建设。及时研究解决推进重大政策问题。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for prose in doc.prose:
            text = prose.text
            for m in _DOUBLED_PARTICLE.finditer(text):
                if text[max(m.start() - 1, 0) : m.start() + 1] in _dictionary():
                    continue  # 目的的: the first one ends a word
                yield self._problem(
                    doc, prose.start(m.start(1) + 1), prose.end(m.end()), m.group(1), m.group(0)
                )
            for m in _DOUBLED_WORD.finditer(text):
                unit = m.group(1)
                if len(unit) >= 3 or unit in _dictionary():
                    at = m.start() + len(unit)
                    yield self._problem(doc, prose.start(at), prose.end(m.end()), unit, m.group(0))
            for m in _STRAY_CHAR.finditer(text):
                i, stray, middle = m.start(), m.group(1), m.group(2)
                if self._stray(text, i, stray, middle):
                    context = text[i : i + 3]
                    start, end = prose.start(i), prose.end(i + 1)
                    yield Problem(
                        start,
                        end,
                        f"stray '{stray}' before '{middle}{stray}': '{context}'",
                        doc.fix(start, end, stray, ""),
                    )

    @staticmethod
    def _problem(doc: Document, start: int, end: int, unit: str, seen: str) -> Problem:
        """The second copy is marked, and the fix deletes it."""
        return Problem(start, end, f"'{unit}' typed twice: '{seen}'", doc.fix(start, end, unit, ""))

    @staticmethod
    def _stray(text: str, i: int, stray: str, middle: str) -> bool:
        """``text[i]`` is a stray copy of the end of the common word ``text[i+1:i+3]``."""
        if stray in _FUNCTION_CHARS:
            return False
        words = _dictionary()
        if words.get(middle + stray, 0) < _COMMON or stray + middle in words:
            return False
        # 体制机制, 制造业企业: the first character ends a word begun before it.
        return not any(text[max(i - n, 0) : i + 1] in words for n in (1, 2, 3) if i >= n)


_LATIN_RUN = re.compile(r"[A-Za-z]+(?:[ \u00a0][A-Za-z]+)*")
_LOANWORDS = frozenset({"App", "app", "APP", "WiFi", "Wifi", "iOS", "iPad", "iPhone", "logo"})
_CJK_NEIGHBOUR = re.compile(f"[{HAN}\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f“”‘’]")


@register
class StrayLatin(Rule):
    """A Latin word sits in Chinese prose.

    ``精神 and 习近平`` is an English word left from an edit or a translation. Acronyms
    (``DIP``, ``CT``), terms with inner capitals (``MaaS``, ``WiFi``), words with digits
    (``5G``), a few loanwords (``App``) and a word the document uses more than once (a term it
    relies on) are fine, as are units after a number (``5 kg``) and web or mail addresses.
    """

    id = "PC303"
    name = "stray-latin"
    severity = "warning"
    bad = "深入学习贯彻党的二十大精神 and 习近平总书记重要指示精神。\n"
    good = "深入学习贯彻党的二十大精神和习近平总书记重要指示精神，探索 DIP 付费模式。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        used = Counter(m.group(0) for m in _LATIN_RUN.finditer(doc.text))
        for prose in doc.prose:
            text = prose.text
            for m in _LATIN_RUN.finditer(text):
                words = m.group(0).split()
                if used[m.group(0)] > 1 or all(_term(w) for w in words):
                    continue
                before = text[: m.start()].rstrip(" ")[-1:]
                after = text[m.end() :].lstrip(" ")[:1]
                if not (_CJK_NEIGHBOUR.match(before) and _CJK_NEIGHBOUR.match(after)):
                    continue
                yield Problem(
                    prose.start(m.start()),
                    prose.end(m.end()),
                    f"Latin word '{m.group(0)}' in Chinese prose",
                )


def _term(word: str) -> bool:
    """An acronym, a term written with inner capitals, a loanword or a single letter."""
    return word.isupper() or not word[1:].islower() or word in _LOANWORDS or len(word) == 1


_HALF_PAIR = re.compile(r"\(([^()\n]*)\)")
_HALF_MARK = re.compile(r"[,;:?!()]")
_THROUGHOUT = 20  # half-width marks, more than full-width ones: a converted text
_FULL_FOR = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@register
class HalfWidthPunctuation(Rule):
    """Half-width punctuation or brackets in Chinese prose.

    Chinese text takes full-width marks: ``中药（蒙药）``, not ``中药(蒙药)``; ``，`` not ``,``.
    A mark between two non-Chinese characters (``3:1``) and brackets around no Chinese
    (``f(x)``, ``(1)``) are left alone; brackets are reported once per pair. A text that
    uses half-width marks throughout (a converted copy) gets one finding, not hundreds.
    """

    id = "PC304"
    name = "half-width-punctuation"
    severity = "warning"
    bad = "1. 提升制剂能力。发挥中药(蒙药)区域制剂中心作用。\n"
    good = "1. 提升制剂能力。发挥中药（蒙药）区域制剂中心作用。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        found = list(self._marks(doc))
        marks = sum(1 for p in found if len(doc.text[p.start : p.end]) == 1)
        full = sum(doc.text.count(mark) for mark in "，；：")
        if marks >= _THROUGHOUT and marks > full:
            # A text converted to half-width punctuation throughout (NFKC, a web page
            # copy): one finding for the document, with every mark in its fix.
            first = found[0]
            yield Problem(
                first.start,
                first.end,
                f"the text uses half-width punctuation throughout ({len(found)} places, "
                f"{full} full-width): write Chinese prose with full-width marks",
                tuple(fix for p in found for fix in p.fixes),
            )
            return
        yield from found

    def _marks(self, doc: Document) -> Iterator[Problem]:
        for prose in doc.prose:
            text = prose.text
            paired: set[int] = set()
            for m in _HALF_PAIR.finditer(text):
                paired.update((m.start(), m.end() - 1))
                if _HAN.search(m.group(1)):
                    start, end = prose.start(m.start()), prose.end(m.end())
                    yield Problem(
                        start,
                        end,
                        f"half-width brackets in Chinese prose: '{m.group(0)}' "
                        f"(write '（{m.group(1)}）')",
                        doc.fix(start, end, m.group(0), f"（{m.group(1)}）"),
                    )
            for m in _HALF_MARK.finditer(text):
                i = m.start()
                if i in paired:
                    continue
                around = text[i - 1 : i] + text[i + 1 : i + 2]
                if _HAN.search(around):
                    mark = m.group(0)
                    start, end = prose.start(i), prose.end(i + 1)
                    yield Problem(
                        start,
                        end,
                        f"half-width '{mark}' in Chinese prose (write '{_FULL_FOR[mark]}')",
                        doc.fix(start, end, mark, _FULL_FOR[mark]),
                    )


_OPENERS = {
    "“": "”",
    "‘": "’",
    "（": "）",
    "《": "》",
    "【": "】",
    "〔": "〕",
    "「": "」",
    "『": "』",
}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_QUOTES = frozenset("“‘")


@register
class UnbalancedPairs(Rule):
    """A quotation mark or bracket is opened and not closed, or closed and not opened.

    ``持续开展“方便用中医（蒙医）、放心用中药（蒙药）活动`` opens a quotation that never ends, so
    the reader cannot tell what the activity is called. Each clause is checked on its own:
    a quotation does not run from one numbered item into the next.
    """

    id = "PC305"
    name = "unbalanced-pairs"
    severity = "error"
    bad = "1. 推进便民举措。持续开展“方便用中医、放心用中药活动。\n"
    good = "1. 推进便民举措。持续开展“方便用中医、放心用中药”活动。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for prose in doc.prose:
            stack: list[tuple[str, int]] = []
            for i, ch in enumerate(prose.text):
                if ch in _OPENERS:
                    if ch in _QUOTES and stack and stack[-1][0] == ch:
                        # “…“ : a quote inside a quote of the same kind is a missing ”
                        yield self._unclosed(prose.start(stack[-1][1]), ch)
                        stack.pop()
                    stack.append((ch, i))
                elif ch in _CLOSERS:
                    opener = _CLOSERS[ch]
                    if any(o == opener for o, _ in stack):
                        while stack:
                            o, at = stack.pop()
                            if o == opener:
                                break
                            yield self._unclosed(prose.start(at), o)
                    else:
                        yield Problem(
                            prose.start(i),
                            prose.end(i + 1),
                            f"'{ch}' closes a '{opener}' that was never opened",
                        )
            for o, at in stack:
                yield self._unclosed(prose.start(at), o)

    @staticmethod
    def _unclosed(start: int, opener: str) -> Problem:
        return Problem(
            start, start + 1, f"'{opener}' is never closed (no '{_OPENERS[opener]}' follows)"
        )


_SPACE_BEFORE = re.compile(
    "(?<=[^ \\t\\u3000\\u00a0\\n])[ \\t\\u3000\\u00a0]+(?=[。，、；：！？）》」』】〕”’“（《])"
)


@register
class SpaceBeforePunctuation(Rule):
    """A space stands before full-width punctuation.

    Full-width marks carry their own spacing; ``主体责任 。`` or ``开展 “两专科”`` shows a
    space left from editing. Indentation at the start of a line is not reported.
    """

    id = "PC306"
    name = "space-before-punctuation"
    severity = "warning"
    bad = "1. 落实行业治理主体责任 。深入强化底线思维。\n"
    good = "1. 落实行业治理主体责任。深入强化底线思维。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for prose in doc.prose:
            for m in _SPACE_BEFORE.finditer(prose.text):
                mark = prose.text[m.end()]
                start, end = prose.start(m.start()), prose.end(m.end())
                yield Problem(
                    start, end, f"space before '{mark}'", doc.fix(start, end, m.group(0), "")
                )
