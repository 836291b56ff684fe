"""The core: one pure function from decoded plan text to a ``Plan`` (as black has format_str)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import Any

from planc import __version__, limits
from planc.collector import paused
from planc.errors import text_of_path
from planc.extract import Context, Hit
from planc.extract.deadlines import find_deadlines, opening_year
from planc.extract.owners import find_owners, first_listed_leads
from planc.extract.targets import find_targets
from planc.model import BackMatter, Clause, FrontMatter, Meta, Plan, SourceInfo
from planc.parse import Node, parse
from planc.parse.meta import _DOC_NUMBER as DOC_NUMBER
from planc.parse.meta import FoundMeta, extract_meta, issuer_text
from planc.parse.meta import _plan_year as plan_year
from planc.read.document import Document
from planc.spans import Locator
from planc.textmap import MappedText, fold


def compile_text(text: str, path: str = "<string>", encoding: str = "utf-8") -> Plan:
    """Compile decoded plan text into a ``Plan``; every span indexes into ``text``."""
    with paused():  # see planc.collector
        return _compile(text, path, encoding)


def compile_document(document: Document, path: str = "<string>") -> Plan:
    """Compile a plan as a reader returned it: spans index into ``document.text`` and carry
    its page; metadata the container states apart from the body (a web page's table) counts."""
    with paused():  # see planc.collector
        return _compile(document.text, path, document.encoding, document)


def _compile(text: str, path: str, encoding: str, document: Document | None = None) -> Plan:
    with limits.compiling(text, path):  # refuses dense input before it is parsed
        return _compile_within_limits(text, path, encoding, document)


def _compile_within_limits(
    text: str, path: str, encoding: str, document: Document | None = None
) -> Plan:
    locator = Locator(text, document.page_starts if document else ())
    parsed = parse(text)
    limits.check_clause_count(parsed.clauses)  # rows of a task table are clauses too
    found = extract_meta(parsed.front_lines, parsed.full_line, parsed.back_lines)
    if document is not None and document.meta:
        _container_meta(found, document.meta)
    meta = Meta(
        title=found.title,
        issuer=found.issuer,
        doc_number=found.doc_number,
        issued=found.issued,
        year=found.year,
        recipients=found.recipients,
        spans={
            key: locator.span(*found.spans[key])
            for key in ("title", "issuer", "doc_number", "issued", "recipients")
            if key in found.spans
        },
    )
    context = Context(
        year=found.year,
        issuer=found.issuer,
        issued=found.issued,
        opening_year=None if found.year else opening_year(fold(text)),
        first_listed_leads=first_listed_leads(text),
    )
    return Plan(
        planc_version=__version__,
        source=SourceInfo(
            path=text_of_path(path),
            format=document.format if document else "txt",
            encoding=encoding,
            chars=len(text),
            sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        ),
        meta=meta,
        front_matter=FrontMatter(
            text=parsed.front_matter.text, span=locator.span(0, parsed.front_end)
        ),
        # Plain dicts, validated a top-level clause at a time (see ``_clause``): the dicts of one
        # are dropped before the next is built, so dicts and models never both fill memory.
        clauses=[
            Clause.model_validate(_clause(node, text, locator, context)) for node in parsed.clauses
        ],
        back_matter=BackMatter(
            text=parsed.back_matter.text, span=locator.span(parsed.back_start, len(text))
        ),
    )


_DATE_PARTS = re.compile(r"((?:19|20)\d\d)\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})")


def _container_meta(found: FoundMeta, given: dict[str, str]) -> None:
    """Fill ``found`` from what the container states: its issuer, number and date prevail
    (a site's 发文机关/发文字号/成文日期 table is the record); its title only fills a gap.
    A value taken from the container has no span in the text unless the text says the same."""
    values: dict[str, object] = {}
    if given.get("issuer"):
        values["issuer"] = issuer_text(given["issuer"])
    if given.get("doc_number"):
        number = fold(given["doc_number"]).strip()
        m = DOC_NUMBER.search(number)
        values["doc_number"] = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else number
    m = _DATE_PARTS.search(fold(given.get("issued", "")))
    if m:
        with suppress(ValueError):
            values["issued"] = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if given.get("title") and not found.title:
        values["title"] = given["title"].strip()
    for key, value in values.items():
        if getattr(found, key) != value:
            setattr(found, key, value)
            found.spans.pop(key, None)
    found.year = plan_year(found)


Extractor = Callable[[str, Context], list[Hit]]


class _Extraction:
    """One clause body, folded once, and the way from its offsets back to the original."""

    def __init__(
        self,
        body: MappedText,
        text: str,
        locator: Locator,
        context: Context,
        skip: bool,
        clause_id: str = "",
    ) -> None:
        self.body, self.text, self.locator, self.context = body, text, locator, context
        self.clause_id = clause_id
        limits.check_clause(body.text, clause_id)
        self.folded = "" if skip else fold(body.text)

    def items(self, extractor: Extractor) -> list[dict[str, Any]]:
        """The extractor's hits as model fields, with ``text`` and ``span`` from the original."""
        if not self.folded:
            return []
        items = []
        hits = extractor(self.folded, self.context)
        limits.check_items(len(hits), self.clause_id)
        for hit in hits:
            if hit.end <= hit.start:
                continue
            start, end = self.body.span(hit.start, hit.end)
            span = self.locator.span_fields(start, end)
            items.append({"text": self.text[start:end], "span": span, **hit.fields})
        return items


# A section that looks back (一、2020年工作回顾, 工作总结) reports results, not commitments; a
# task to sum up (总结经验做法, 总结阶段) is one.
_RETROSPECTIVE = re.compile(r"回顾|总结$")


def _clause(
    node: Node, text: str, locator: Locator, context: Context, looking_back: bool = False
) -> dict[str, Any]:
    """The fields of a ``Clause`` and of everything in it, as plain dicts and lists.

    The whole tree is validated once, by ``Plan``: pydantic-core validates nested dicts in one
    call far faster than a model built per clause, per item and per span.
    """
    looking_back = looking_back or bool(_RETROSPECTIVE.search(node.heading))
    if node.cells or context.cells:  # a task-table row: its cells, read by column
        context = dataclasses.replace(context, cells=node.cells)
    extraction = _Extraction(node.body, text, locator, context, looking_back, node.id)
    return {
        "id": node.id,
        "label": node.label,
        "level": node.level,
        "number": node.number,
        "heading": node.heading,
        "text": node.body.text,
        "span": locator.span_fields(node.start, node.end),
        "heading_span": locator.span_fields(*node.heading_span) if node.heading_span else None,
        "deadlines": extraction.items(find_deadlines),
        "targets": extraction.items(find_targets),
        "owners": extraction.items(find_owners),
        "children": [
            _clause(child, text, locator, context, looking_back) for child in node.children
        ],
    }
