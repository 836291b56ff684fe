"""The typed output of ``planc parse``: what other systems, ``diff`` and ``check`` consume.

Field order here is the order in the YAML and JSON output; ``schemas/plan.schema.json`` is
generated from these classes by ``planc schema``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Cmp = Literal["=", ">=", "<=", "~", "range"]
Role = Literal["lead", "responsible", "cooperating", "guiding"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Where something stands in the decoded original: 0-based offsets, 1-based line/column."""

    start: int = Field(ge=0, description="0-based character offset of the first character")
    end: int = Field(ge=0, description="0-based character offset just past the last character")
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int = Field(ge=1, description="line of the position `end`")
    end_column: int = Field(ge=1, description="column of the position `end`")
    page: int | None = Field(
        default=None,
        ge=1,
        description="1-based page of `start` in a paged source (PDF, OFD); absent otherwise",
        exclude_if=lambda page: page is None,
    )


class Deadline(_Model):
    """A time by which (or window in which) something in the clause must happen."""

    text: str = Field(description="the expression as printed: original[span.start:span.end]")
    due: date | None = Field(description="the last day, resolved against the plan year")
    start: date | None = Field(default=None, description="first day of a window, else null")
    span: Span


class Target(_Model):
    """A quantity the clause commits to."""

    text: str
    value: int | float = Field(description="the number; for a range its low end")
    max: int | float | None = Field(default=None, description="high end of a range, else null")
    unit: str = Field(description="'%' or the measure word, with any magnitude word (万人)")
    cmp: Cmp
    metric: str | None = Field(default=None, description="what the number measures, if named")
    span: Span


class Owner(_Model):
    """A unit named as responsible for the clause."""

    name: str = Field(description="the unit as printed, without role words")
    role: Role
    text: str
    span: Span


class Clause(_Model):
    """A numbered unit of the body; children are the clauses nested under it."""

    id: str = Field(description="dotted path of the printed ordinals, e.g. '3.7'")
    label: str = Field(description="the label as printed, e.g. '一、' or '（十三）'")
    level: int = Field(ge=1, le=5, description="the label's form level (GB/T 9704)")
    number: int = Field(ge=1, description="the printed ordinal")
    heading: str
    text: str = Field(description="the body after the label, children excluded, breaks repaired")
    span: Span = Field(description="from the label's line to the next clause: spans tile the file")
    heading_span: Span | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    owners: list[Owner] = Field(default_factory=list)
    children: list[Clause] = Field(default_factory=list)


class Meta(_Model):
    """Document metadata; a field the text does not give is null."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued: date | None = None
    year: int | None = None
    recipients: list[str] = Field(default_factory=list)
    spans: dict[str, Span] = Field(
        default_factory=dict, description="source span of each field found in the text"
    )


class FrontMatter(_Model):
    """Everything before the first clause: covering notice, title, preamble."""

    text: str
    span: Span


class BackMatter(_Model):
    """Everything after the last clause that is not part of it: the signature (issuer and
    date), 抄送/印发 lines, （此件公开发布）, a closing paragraph to the whole document.
    It carries no commitments."""

    text: str
    span: Span


class SourceInfo(_Model):
    path: str
    format: Literal["txt", "docx", "pdf", "html", "ofd", "doc"] = Field(
        default="txt", description="the format read, known by content, not by the file's name"
    )
    encoding: str
    chars: int
    sha256: str = Field(description="of the decoded text, UTF-8 encoded")


class Plan(_Model):
    """A compiled plan."""

    planc_version: str
    source: SourceInfo
    meta: Meta
    front_matter: FrontMatter
    clauses: list[Clause]
    back_matter: BackMatter | None = Field(
        default=None, description="front matter, clause spans and back matter tile the text"
    )

    def walk(self) -> Iterator[Clause]:
        """Every clause, depth first, in document order."""
        stack = list(reversed(self.clauses))
        while stack:
            clause = stack.pop()
            yield clause
            stack.extend(reversed(clause.children))
