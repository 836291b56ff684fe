"""The core: one pure function from decoded plan text to a ``Plan`` (as black has format_str).

The compiler builds the plan as plain data (dicts and lists in the model's field order, dates
as ``date``); ``compile_text`` and ``compile_document`` validate it into ``planc.model``'s
classes once, at the edge. ``planc parse`` writes the plain data itself (``compile_data``):
pydantic then never loads, which is a third of its start-up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any

from planc import __version__, limits
from planc.collector import paused
from planc.errors import text_of_path
from planc.extract import Context, Hit
from planc.extract.deadlines import find_deadlines, opening_year
from planc.extract.owners import find_owners, first_listed_leads
from planc.extract.targets import find_targets
from planc.parse import Node, parse
from planc.parse.meta import _DOC_NUMBER as DOC_NUMBER
from planc.parse.meta import FoundMeta, extract_meta, issuer_text
from planc.parse.meta import _plan_year as plan_year
from planc.read.document import Document
from planc.spans import Locator
from planc.textmap import MappedText, fold

if TYPE_CHECKING:
    from planc.model import Plan

PlanData = dict[str, Any]
"""A plan as plain data: what ``Plan.model_dump()`` gives (dates as ``date``), key for key."""


def compile_text(text: str, path: str = "<string>", encoding: str = "utf-8") -> Plan:
    """Compile decoded plan text into a ``Plan``; every span indexes into ``text``."""
    with paused():  # see planc.collector
        return _validated(lambda clause: _compile(text, path, encoding, None, clause))


def compile_document(document: Document, path: str = "<string>") -> Plan:
    """Compile a plan as a reader returned it: spans index into ``document.text`` and carry
    its page; metadata the container states apart from the body (a web page's table) counts."""
    with paused():  # see planc.collector
        return _validated(
            lambda clause: _compile(document.text, path, document.encoding, document, clause)
        )


def compile_data(document: Document, path: str = "<string>") -> PlanData:
    """``compile_document(document, path).model_dump()``, made without the model: the data
    the compiler builds, unvalidated (tests hold it to the model's dump on real plans)."""
    with paused():  # see planc.collector
        return _compile(document.text, path, document.encoding, document, _as_is)


def plan_of(data: PlanData) -> Plan:
    """The ``Plan`` of data ``compile_data`` made (for the outputs that read the model)."""
    from planc.model import Plan

    with paused():
        return Plan.model_validate(data)


def _as_is(clause: dict[str, Any]) -> dict[str, Any]:
    return clause


def _validated(compile_with: Callable[[Callable[[dict[str, Any]], Any]], PlanData]) -> Plan:
    """Validate the plan a top-level clause at a time as it is compiled: the dicts of one are
    dropped before the next is built, so dicts and models never both fill memory."""
    from planc.model import Clause, Plan

    return Plan.model_validate(compile_with(Clause.model_validate))


def _compile(
    text: str,
    path: str,
    encoding: str,
    document: Document | None,
    clause: Callable[[dict[str, Any]], Any],
) -> PlanData:
    with limits.compiling(text, path):  # refuses dense input before it is parsed
        return _compile_within_limits(text, path, encoding, document, clause)


def _compile_within_limits(
    text: str,
    path: str,
    encoding: str,
    document: Document | None,
    clause: Callable[[dict[str, Any]], Any],
) -> PlanData:
    """The plan's fields in ``Plan``'s order; ``clause`` makes each top-level clause's entry."""
    locator = Locator(text, document.page_starts if document else ())
    parsed = parse(text)
    limits.check_clause_count(parsed.clauses)  # rows of a task table are clauses too
    found = extract_meta(parsed.front_lines, parsed.full_line, parsed.back_lines)
    if document is not None and document.meta:
        _container_meta(found, document.meta)
    meta = {
        "title": found.title,
        "issuer": found.issuer,
        "doc_number": found.doc_number,
        "issued": found.issued,
        "year": found.year,
        "recipients": found.recipients,
        "spans": {
            key: locator.span_fields(*found.spans[key])
            for key in ("title", "issuer", "doc_number", "issued", "recipients")
            if key in found.spans
        },
    }
    context = Context(
        year=found.year,
        issuer=found.issuer,
        issued=found.issued,
        opening_year=None if found.year else opening_year(fold(text)),
        first_listed_leads=first_listed_leads(text),
    )
    return {
        "planc_version": __version__,
        "source": {
            "path": text_of_path(path),
            "format": document.format if document else "txt",
            "encoding": encoding,
            "chars": len(text),
            "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        },
        "meta": meta,
        "front_matter": {
            "text": parsed.front_matter.text,
            "span": locator.span_fields(0, parsed.front_end),
        },
        "clauses": [clause(_clause(node, text, locator, context)) for node in parsed.clauses],
        "back_matter": {
            "text": parsed.back_matter.text,
            "span": locator.span_fields(parsed.back_start, len(text)),
        },
    }


# Only a container's date (a web page's 成文日期) is read with it: compiled when first used.
_DATE_PARTS = r"((?:19|20)\d\d)\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})"


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
    m = re.search(_DATE_PARTS, fold(given.get("issued", "")))
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

    def items(self, extractor: Extractor, order: tuple[str, ...]) -> list[dict[str, Any]]:
        """The extractor's hits as model fields in the model's ``order``, with ``text`` and
        ``span`` from the original."""
        if not self.folded:
            return []
        items = []
        hits = extractor(self.folded, self.context)
        limits.check_items(len(hits), self.clause_id)
        text, original_span, span_fields = self.text, self.body.span, self.locator.span_fields
        # An extractor that gives its fields in the model's order between text and span (as
        # planc's do) has its dict spliced in whole: no field is looked up one by one.
        between = order[1:-1] if order[0] == "text" and order[-1] == "span" else None
        for hit in hits:
            if hit.end <= hit.start:
                continue
            start, end = original_span(hit.start, hit.end)
            fields = hit.fields
            if tuple(fields) == between:
                items.append({"text": text[start:end], **fields, "span": span_fields(start, end)})
                continue
            fields["text"] = text[start:end]  # the hit's own dict, completed and put in order
            fields["span"] = span_fields(start, end)
            if len(fields) != len(order):  # as the model would refuse a missing or extra field
                raise ValueError(f"{extractor.__name__} gave {sorted(fields)}, not {order}")
            items.append({key: fields[key] for key in order})
        return items


# The fields of each kind of item in planc.model's order, which is the order of the output (a
# test holds these to the model): ``compile_data`` writes the data without loading the model.
DEADLINE_FIELDS = ("text", "due", "start", "span")
TARGET_FIELDS = ("text", "value", "max", "unit", "cmp", "metric", "span")
OWNER_FIELDS = ("name", "role", "text", "span")


# A section that looks back (一、2020年工作回顾, 工作总结) reports results, not commitments; a
# task to sum up (总结经验做法, 总结阶段) is one.
_RETROSPECTIVE = re.compile(r"回顾|总结$")


def _clause(
    node: Node, text: str, locator: Locator, context: Context, looking_back: bool = False
) -> dict[str, Any]:
    """The fields of a ``Clause`` and of everything in it, as plain dicts and lists.

    Validated (if at all) a top-level clause at a time: pydantic-core validates nested dicts in
    one call far faster than a model built per clause, per item and per span.
    """
    looking_back = looking_back or bool(node.heading and _RETROSPECTIVE.search(node.heading))
    if node.cells or context.cells:  # a task-table row: its cells, read by column
        context = dataclasses.replace(context, cells=node.cells)
    if node.body.text:
        extraction = _Extraction(node.body, text, locator, context, looking_back, node.id)
        deadlines = extraction.items(find_deadlines, DEADLINE_FIELDS)
        targets = extraction.items(find_targets, TARGET_FIELDS)
        owners = extraction.items(find_owners, OWNER_FIELDS)
    else:  # a label alone (dense input has many): nothing to extract
        deadlines, targets, owners = [], [], []
    return {
        "id": node.id,
        "label": node.label,
        "level": node.level,
        "number": node.number,
        "heading": node.heading,
        "text": node.body.text,
        "span": locator.span_fields(node.start, node.end),
        "heading_span": locator.span_fields(*node.heading_span) if node.heading_span else None,
        "deadlines": deadlines,
        "targets": targets,
        "owners": owners,
        "children": [
            _clause(child, text, locator, context, looking_back) for child in node.children
        ],
    }
