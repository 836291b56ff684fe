"""The typed output of ``planc diff``; ``schemas/diff.schema.json`` is generated from it.

Regenerate the committed schema after changing these classes: ``make schema``.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ClauseKind = Literal[
    "unchanged", "changed", "renumbered", "moved", "added", "removed", "split", "merged"
]
FieldName = Literal["target", "deadline", "owner"]
FieldKind = Literal["raised", "lowered", "earlier", "later", "changed", "added", "dropped"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Segment(_Model):
    """A run of text in a diff by character (a number or Latin word whole): kept (=), deleted
    (-) or inserted (+)."""

    op: Literal["=", "-", "+"]
    text: str = Field(description="as the new edition prints it (the old one for deletions)")
    old_text: str | None = Field(
        default=None, description="a kept run as the old edition prints it, if its years differ"
    )


class FieldChange(_Model):
    """One commitment of a matched clause that is new, gone, or different."""

    field: FieldName
    kind: FieldKind
    old: str | None = Field(description="the item as printed in the old edition, else null")
    new: str | None = Field(description="the item as printed in the new edition, else null")
    detail: str | None = Field(
        default=None, description="what moved: '80 → 85 %', '2023-05-31 → 2024-06-30', a role"
    )


class ClauseChange(_Model):
    """A clause of either edition and what became of it.

    ``renumbered`` and ``moved`` clauses may also be reworded: ``reworded``, the diffs and
    ``fields`` tell. A split has one old id and several new ones; a merge the reverse.
    """

    kind: ClauseKind
    old_ids: list[str] = Field(description="ids in the old edition (empty when added)")
    new_ids: list[str] = Field(description="ids in the new edition (empty when removed)")
    old_heading: str | None = None
    new_heading: str | None = None
    similarity: float | None = Field(
        default=None, description="0-1 content similarity of the matched clauses"
    )
    old_parent: str | None = Field(default=None, description="the old parent's id, if any")
    new_parent: str | None = Field(default=None, description="the new parent's id, if any")
    reworded: bool = Field(default=False, description="the text differs beyond moved years")
    heading_diff: list[Segment] = Field(
        default_factory=list, description="word-level diff of the headings, when they differ"
    )
    text_diff: list[Segment] = Field(
        default_factory=list,
        description="word-level diff of the texts when reworded; the whole text when added or removed",
    )
    fields: list[FieldChange] = Field(default_factory=list)


class Summary(_Model):
    """How many clauses of each kind (a split or a merge counts once)."""

    unchanged: int = 0
    changed: int = 0
    renumbered: int = 0
    moved: int = 0
    added: int = 0
    removed: int = 0
    split: int = 0
    merged: int = 0


class PlanDiff(_Model):
    """Two editions of one plan, aligned clause by clause."""

    old: str = Field(description="path of the old edition")
    new: str = Field(description="path of the new edition")
    old_title: str | None = None
    new_title: str | None = None
    old_year: int | None = None
    new_year: int | None = None
    same: bool = Field(description="no clause changed in any way")
    summary: Summary
    clauses: list[ClauseChange] = Field(description="in the new edition's order")


class DiffReport(_Model):
    """What ``planc diff OLD NEW`` found: each paired plan's diff and the plans left unpaired."""

    old: str = Field(description="the OLD argument: a file, a compiled plan or a year")
    new: str = Field(description="the NEW argument")
    same: bool = Field(description="every pair is the same and no plan is unpaired")
    pairs: list[PlanDiff]
    only_old: list[str] = Field(default_factory=list, description="old plans with no new edition")
    only_new: list[str] = Field(default_factory=list, description="new plans with no old edition")


def diff_schema() -> dict[str, object]:
    schema = DiffReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://planc.dev/schemas/diff.schema.json"
    return schema


def diff_schema_text() -> str:
    return json.dumps(diff_schema(), ensure_ascii=False, indent=2) + "\n"
