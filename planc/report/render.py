"""The Jinja2 environment the report pages share (imported only when a report is asked for)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planc.errors import PlancError

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
COUNTED = {"clauses": "条款", "targets": "目标", "deadlines": "时限", "owners": "责任单位"}


JINJA2_MISSING = "the HTML report needs Jinja2: pip install 'Jinja2>=3.1,<4'"


def markup(html: str) -> str:
    """HTML this package escaped itself, which the templates print as it is."""
    try:
        from markupsafe import Markup as Safe
    except ImportError:
        raise PlancError(JINJA2_MISSING) from None
    return Safe(html)


@cache
def environment() -> Environment:
    try:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    except ImportError:
        raise PlancError(JINJA2_MISSING) from None

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
