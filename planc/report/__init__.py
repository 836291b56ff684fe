"""Human views of compiled plans: an HTML report per plan, a diff side by side, 新旧对照表.

Nothing here is imported when planc starts: each function imports its module (and Jinja2)
only when a report is asked for.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planc.model import Plan


def plan_html(plan: Plan, today: date | None = None) -> str:
    """The self-contained HTML report of one plan (``planc build --format html`` writes it)."""
    from planc.report.plan_view import plan_html as render

    return render(plan, today)


def write_index(folder: Path) -> Path:
    """Write ``folder/index.html``: every report under ``folder`` with its counts."""
    from planc.report.index import write_index as write

    return write(folder)
