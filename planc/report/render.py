"""The Jinja2 environment the report pages share (imported only when a report is asked for)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
COUNTED = {"clauses": "条款", "targets": "目标", "deadlines": "时限", "owners": "责任单位"}


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["style"] = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    env.globals["script"] = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    return env


def render_template(name: str, context: dict[str, Any]) -> str:
    return environment().get_template(name).render(**context)
