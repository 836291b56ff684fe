"""What the ``parse`` and ``schema`` commands do, apart from argument wiring."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from planc.emit.atomic import write_atomic
from planc.errors import PlancError

if TYPE_CHECKING:
    from planc.compile import PlanData
    from planc.model import Plan

# The compiler, the model and the emitters load when a plan is compiled, not on import: a
# `planc build` with nothing to rebuild never needs them. YAML and JSON are written from the
# compiler's plain data, so `planc parse` never loads pydantic (a third of its start-up).

FORMATS = ("yaml", "json", "xlsx", "csv", "ics", "html")
FILE_ONLY = frozenset({"xlsx", "csv", "ics"})  # spreadsheets and calendars go to a file, not a pipe
SUFFIX_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".html": "html"} | {
    f".{fmt}": fmt for fmt in FILE_ONLY
}


def compile_file(path: str, max_bytes: int) -> Plan:
    from planc.compile import compile_document
    from planc.read import read_path

    return compile_document(read_path(path, max_bytes), path=path)


def compile_file_data(path: str, max_bytes: int) -> PlanData:
    """``compile_file(path, max_bytes)`` as plain data (``Plan.model_dump()``), no model made."""
    from planc.compile import compile_data
    from planc.read import read_path

    return compile_data(read_path(path, max_bytes), path=path)


def check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return fmt


def render_plan(plan: Plan | PlanData, fmt: str, encoded: bool = False) -> str | bytes:
    """The plan (a model, or the plain data of one) in ``fmt``; the ledger and calendar
    modules load only when asked for; YAML and JSON need no model.

    ``encoded``: YAML and JSON as UTF-8 bytes, for a file (less memory than text).
    """
    from planc.emit import render, render_utf8

    if fmt in ("yaml", "json"):
        return render_utf8(plan, fmt) if encoded else render(plan, fmt)
    if isinstance(plan, dict):
        from planc.compile import plan_of

        plan = plan_of(plan)
    if fmt in ("xlsx", "csv"):
        from planc import ledger

        return ledger.to_xlsx(plan) if fmt == "xlsx" else ledger.to_csv(plan)
    if fmt == "ics":
        from planc.calendar_ics import to_ics

        return to_ics(plan)
    if fmt == "html":  # the report for people (planc report)
        from planc.report import plan_html

        page = plan_html(plan)
        return page.encode("utf-8") if encoded else page
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt is None and output is not None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower())
    return check_format(fmt or "yaml")


def _check_folder(output: Path, files: list[str], fmt: str, create: bool) -> None:
    """Refuse, before anything is written, a folder output that would lose a plan."""
    if output.exists() and not output.is_dir():
        raise PlancError("several inputs need -o to name a folder, not a file", str(output))
    names = ["stdin" if path == "-" else Path(path).stem for path in files]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise PlancError(
            f"two inputs would write the same {twice[0]}.{fmt}: compile them to different folders",
            str(output),
        )
    if not output.is_dir():
        if not create:
            raise PlancError("output folder does not exist", str(output))
        try:
            output.mkdir()
        except OSError as exc:
            raise PlancError(
                f"cannot create the folder: {exc.strerror or exc}", str(output)
            ) from None


def parse_files(
    files: list[str], target: str | Path | None, fmt: str | None, max_bytes: int
) -> int:
    """Compile each file; report each bad one in a line; exit code 2 if any failed.

    ``target`` names a file, or a folder: one that exists, one ending in ``/`` (made if
    missing), or any, for several inputs.
    """
    named_folder = target is not None and str(target).endswith(("/", os.sep))
    output = Path(target) if target is not None else None
    to_folder = output is not None and (output.is_dir() or named_folder or len(files) > 1)
    fmt = _format_for(fmt, None if to_folder else output)
    if output is None and fmt in FILE_ONLY:
        raise PlancError(f"--format {fmt} writes a file: give one with -o")
    if to_folder and output is not None:
        _check_folder(output, files, fmt, named_folder)
    if output is not None and not to_folder and output.exists():
        for path in files:
            if path != "-" and Path(path).exists() and output.samefile(path):
                raise PlancError("is an input: refusing to overwrite it with output", str(output))
    failed = False
    rendered: list[str] = []
    try:
        for path in files:
            try:
                data = render_plan(compile_file_data(path, max_bytes), fmt, output is not None)
            except PlancError as error:
                print(f"planc: {error}", file=sys.stderr)
                failed = True
                continue
            if to_folder and output is not None:
                stem = "stdin" if path == "-" else Path(path).stem
                write_atomic(output / f"{stem}.{fmt}", data)
            elif output is not None:
                write_atomic(output, data)
            else:
                assert isinstance(data, str)
                rendered.append(data)
    except KeyboardInterrupt:  # click would turn it into "Aborted!" and exit code 1
        print("planc: interrupted", file=sys.stderr)
        return 130
    if rendered:
        if fmt == "json" and len(rendered) > 1:
            sys.stdout.write("[\n" + ",\n".join(r.rstrip("\n") for r in rendered) + "\n]\n")
        else:
            sys.stdout.write("---\n".join(rendered))
    return 2 if failed else 0


def plan_schema() -> dict[str, object]:
    from planc.model import Plan

    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://planc.dev/schemas/plan.schema.json"
    return schema


SCHEMAS = ("plan", "diff")


def write_schema(kind: str, output: Path | None) -> int:
    """The JSON Schema of ``parse`` output (``plan``) or of ``diff --format json`` (``diff``)."""
    if kind == "plan":
        import json

        text = json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
    elif kind == "diff":
        from planc.diff.model import diff_schema_text

        text = diff_schema_text()
    else:
        raise PlancError(f"unknown schema {kind!r} (choose from {', '.join(SCHEMAS)})")
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    return 0
