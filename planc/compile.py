"""The core: one pure function from decoded plan text to a ``Plan`` (as black has format_str)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from planc import __version__
from planc.extract import Context, Hit
from planc.extract.deadlines import find_deadlines
from planc.extract.owners import find_owners
from planc.extract.targets import find_targets
from planc.meta import extract_meta
from planc.model import (
    Clause,
    Deadline,
    FrontMatter,
    Meta,
    Owner,
    Plan,
    SourceInfo,
    Target,
)
from planc.parse import Node, parse
from planc.spans import Locator
from planc.textmap import MappedText, fold


def compile_text(text: str, path: str = "<string>", encoding: str = "utf-8") -> Plan:
    """Compile decoded plan text into a ``Plan``; every span indexes into ``text``."""
    locator = Locator(text)
    parsed = parse(text)
    found = extract_meta(parsed.front_lines, parsed.full_line)
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
    context = Context(year=found.year, issuer=found.issuer)
    return Plan(
        planc_version=__version__,
        source=SourceInfo(
            path=path,
            encoding=encoding,
            chars=len(text),
            sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        ),
        meta=meta,
        front_matter=FrontMatter(
            text=parsed.front_matter.text, span=locator.span(0, parsed.front_end)
        ),
        clauses=[_clause(node, text, locator, context) for node in parsed.clauses],
    )


Extractor = Callable[[str, Context], list[Hit]]


class _Extraction:
    """One clause body, folded once, and the way from its offsets back to the original."""

    def __init__(
        self, body: MappedText, text: str, locator: Locator, context: Context, skip: bool
    ) -> None:
        self.body, self.text, self.locator, self.context = body, text, locator, context
        self.folded = "" if skip else fold(body.text)

    def items(self, extractor: Extractor) -> list[dict[str, Any]]:
        """The extractor's hits as model fields, with ``text`` and ``span`` from the original."""
        if not self.folded:
            return []
        items = []
        for hit in extractor(self.folded, self.context):
            if hit.end <= hit.start:
                continue
            start, end = self.body.span(hit.start, hit.end)
            span = self.locator.span(start, end)
            items.append({"text": self.text[start:end], "span": span, **hit.fields})
        return items


# A section that looks back (一、2020年工作回顾, 工作总结) reports results, not commitments.
_RETROSPECTIVE = re.compile(r"回顾|总结")


def _clause(
    node: Node, text: str, locator: Locator, context: Context, looking_back: bool = False
) -> Clause:
    looking_back = looking_back or bool(_RETROSPECTIVE.search(node.heading))
    extraction = _Extraction(node.body, text, locator, context, looking_back)
    return Clause(
        id=node.id,
        label=node.label,
        level=node.level,
        number=node.number,
        heading=node.heading,
        text=node.body.text,
        span=locator.span(node.start, node.end),
        heading_span=locator.span(*node.heading_span) if node.heading_span else None,
        deadlines=[Deadline(**item) for item in extraction.items(find_deadlines)],
        targets=[Target(**item) for item in extraction.items(find_targets)],
        owners=[Owner(**item) for item in extraction.items(find_owners)],
        children=[_clause(child, text, locator, context, looking_back) for child in node.children],
    )
