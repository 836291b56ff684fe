"""The command line: thin wiring from arguments to the core and the emitters.

No ``from __future__ import annotations`` here: typer reads each command's annotations with
``get_type_hints`` several times over, and as strings they were evaluated again each time
(10 ms of every run, creating all the ``typer.Option``s anew).
"""

import copy
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

# pydantic looks for plugins (an entry-point scan of every installed package) when the first
# model class is made: a tenth of `planc parse`'s start-up, for plugins planc has no use for.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from planc import __version__
from planc.errors import PlancError
from planc.limits import (
    DEFAULT_MAX_CLAUSES,
    DEFAULT_MAX_DIFF_CLAUSES,
    DEFAULT_MAX_ITEMS,
    check_max_bytes,
    set_max_clauses,
    set_max_diff_clauses,
    set_max_items,
)
from planc.read import DEFAULT_MAX_BYTES


def _plain_argument_help() -> None:
    """Show arguments by their metavar alone (``FILE...``), as click does.

    typer prints them as ``{files}...`` in the usage line and with their Python type
    (``<list[str]>``) in the list: words a user never types.
    """
    from typer.core import TyperArgument

    def usage_name(self: TyperArgument) -> str:
        name = str(self.metavar or self.name)
        return name if self.required else f"[{name}]"

    if hasattr(TyperArgument, "display_type"):
        TyperArgument.display_type = lambda self, ctx: ""  # type: ignore[method-assign]
    if hasattr(TyperArgument, "_usage_display_name"):
        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


_plain_argument_help()


def _plain_coercion() -> None:
    """Coerce planc's arguments in plain Python, as click does, not through pydantic.

    typer 0.29 builds a pydantic ``TypeAdapter`` for every parameter of the command it runs:
    importing pydantic and building them was a third of `planc parse`'s start-up, to turn
    strings into str, int, bool and Path. Those annotations (and lists of them: typer has
    already taken ``| None`` off) are coerced here, bad values refused in click's words (one
    line, exit code 2); any other annotation, a custom parser, or a typer without this hook
    goes typer's own way.
    """
    from typer import core

    try:
        from typer._coercion import RuntimeParam, TypeDescriptor
        from typer._display import describe_number_range
        from typer._param_types import coerce_cli_path
    except ImportError:  # another typer: its own coercion, slower but the same values
        return
    typers_own = getattr(core, "build_runtime_param", None)
    if typers_own is None:
        return

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        """str, int, bool or Path, or a list of one of them."""

        leaf: type
        is_list: bool

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if not self.is_list:
                return self._coerce_one(value, param, ctx)
            values = value if isinstance(value, (list, tuple)) else [value]
            return [self._coerce_one(item, param, ctx) for item in values]

        def _coerce_one(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.leaf is Path:
                path = value if isinstance(value, Path) else Path(os.fsdecode(value))
                return coerce_cli_path(
                    path, self.parameter_info, path_type=Path, param=param, ctx=ctx
                )
            if self.leaf is bool:
                return _coerce_bool(value, param, ctx)
            if self.leaf is int:
                return _coerce_int(value, self.parameter_info, param, ctx)
            return os.fsdecode(value) if isinstance(value, bytes) else str(value)

    def _coerce_bool(value: Any, param: Any, ctx: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in ("1", "true", "t", "yes", "y", "on"):
            return True
        if word in ("", "0", "false", "f", "no", "n", "off"):
            return False
        raise typer.BadParameter(f"{value!r} is not a valid boolean.", ctx=ctx, param=param)

    def _coerce_int(value: Any, info: Any, param: Any, ctx: Any) -> int:
        try:
            number = value if type(value) is int else int(value)
        except (TypeError, ValueError):
            raise typer.BadParameter(
                f"{value!r} is not a valid integer.", ctx=ctx, param=param
            ) from None
        low, high = info.min, info.max
        if (low is not None and number < low) or (high is not None and number > high):
            if info.clamp:
                return int(low if low is not None and number < low else high)
            bounds = describe_number_range(low, high)
            raise typer.BadParameter(
                f"{number} is not in the range {bounds}.", ctx=ctx, param=param
            )
        return number

    def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
        annotation, info = descriptor.annotation, descriptor.parameter_info
        is_list = get_origin(annotation) is list
        leaf = get_args(annotation)[0] if is_list else annotation
        plain = leaf in (str, int, bool, Path) and descriptor.file_annotation is None
        if not plain or info.parser is not None or getattr(info, "click_type", None):
            return typers_own(descriptor)
        return PlainRuntimeParam(
            parameter_info=info, annotation=annotation, leaf=leaf, is_list=is_list
        )

    core.build_runtime_param = runtime_param


_plain_coercion()

app = typer.Typer(
    name="planc",
    help="Compile Chinese government plan documents into typed, validated data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

FILES = Annotated[
    list[str],
    typer.Argument(
        help="plan files (.txt .docx .doc .wps .pdf .ofd .html), or - for standard input",
        metavar="FILE...",
    ),
]
OUTPUT = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="file, or folder for several inputs", metavar="PATH"),
]
MAX_BYTES = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        min=1,
        callback=check_max_bytes,
        help="refuse larger inputs",
        metavar="BYTES",
    ),
]
MAX_CLAUSES = Annotated[
    int,
    typer.Option(
        "--max-clauses",
        min=1,
        callback=set_max_clauses,
        help="refuse plans with more clauses",
        metavar="N",
    ),
]
MAX_ITEMS = Annotated[
    int,
    typer.Option(
        "--max-items",
        min=1,
        callback=set_max_items,
        help="refuse clauses with more deadlines, targets or owners of one kind",
        metavar="N",
    ),
]


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C while a command's modules load: one line and exit code 130, as while it runs.

    (typer turns a KeyboardInterrupt into exit code 130 without a word; on a busy machine
    loading takes long enough for a Ctrl-C to land there.)
    """
    try:
        yield
    except KeyboardInterrupt:
        print("planc: interrupted", file=sys.stderr)
        raise typer.Exit(130) from None


def fail(error: PlancError) -> None:
    """One line on stderr, never a traceback."""
    print(f"planc: {error}", file=sys.stderr)


def _version(value: bool) -> None:
    if value:
        print(f"planc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="show version")
    ] = False,
) -> None:
    """planc: plan compiler."""


@app.command("parse", short_help="Compile plans into clauses, metadata and commitments.")
def parse_command(
    files: FILES,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="file; or folder (several inputs, or ending in /)",
            metavar="PATH",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="yaml (default), json; with -o also xlsx, csv (台账), ics",
            metavar="FORMAT",
        ),
    ] = None,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Compile plans into a clause tree with metadata, targets, deadlines and owners."""
    with _interruptible():
        from planc.outputs import parse_files

        code = parse_files(files, output, fmt, max_bytes)
    raise typer.Exit(code)


@app.command("schema", short_help="Print the JSON Schema of parse or diff output.")
def schema_command(
    kind: Annotated[
        str, typer.Argument(help="plan (parse output) or diff", metavar="KIND")
    ] = "plan",
    output: OUTPUT = None,
) -> None:
    """Print (or write) the JSON Schema of `planc parse` (plan) or `planc diff` (diff) output."""
    from planc.outputs import write_schema

    raise typer.Exit(write_schema(kind, output))


# Commands added by later work are registered below, one small function each.


@app.command("build", short_help="Compile a folder of plans, in parallel and incrementally.")
def build_command(
    sources: Annotated[
        Path,
        typer.Argument(
            help="folder of plans (.txt .docx .doc .wps .pdf .ofd .html)", metavar="SOURCES"
        ),
    ] = Path("sources"),
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="output folder, mirroring SOURCES", metavar="OUT"),
    ] = Path("out"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="yaml, json, xlsx, csv (台账) or ics", metavar="FORMAT"
        ),
    ] = "yaml",
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="worker processes [default: all cores]", metavar="N"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="recompile unchanged plans too")] = False,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Compile every plan in a folder, in parallel, skipping plans unchanged since last time."""
    from planc.build import run_build

    raise typer.Exit(run_build(sources, output, fmt, jobs, force, max_bytes))


@app.command("diff", short_help="Show what changed between two editions of a plan.")
def diff_command(
    old: Annotated[
        str,
        typer.Argument(help="old edition: plan file, compiled .yaml/.json, or year", metavar="OLD"),
    ],
    new: Annotated[
        str,
        typer.Argument(help="new edition: plan file, compiled .yaml/.json, or year", metavar="NEW"),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text (default), json, yaml, markdown, html, docx or xlsx (新旧对照表)",
            metavar="FORMAT",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write to a file", metavar="FILE")
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="list unchanged clauses too")] = False,
    sources: Annotated[
        Path,
        typer.Option("--sources", help="folder of <year>/ plan folders", metavar="FOLDER"),
    ] = Path("sources"),
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
    max_diff_clauses: Annotated[
        int,
        typer.Option(
            "--max-diff-clauses",
            min=1,
            callback=set_max_diff_clauses,
            help="refuse to compare plans with more clauses",
        ),
    ] = DEFAULT_MAX_DIFF_CLAUSES,
) -> None:
    """What changed between two editions of a plan; exit 0 if the same, 1 if they differ."""
    with _interruptible():
        from planc.diff.command import run_diff

        code = run_diff(old, new, fmt, output, show_all, sources, max_bytes)
    raise typer.Exit(code)


@app.command("check", short_help="Lint draft plans, files or folders, as CI does.")
def check_command(
    files: Annotated[
        list[str],
        typer.Argument(
            help="plan files or folders (searched for plans), or - for standard input",
            metavar="PATH...",
        ),
    ],
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="only these rules (ids, prefixes, names)", metavar="RULE"),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="skip these rules", metavar="RULE")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text, json, github, gitlab, junit or sarif",
            metavar="FORMAT",
        ),
    ] = "text",
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="exit 1 at this severity or above: error, warning, info, never",
            metavar="SEVERITY",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write to a file", metavar="FILE")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="settings from this TOML file", metavar="FILE"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="findings only, no summary")] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="count findings by rule instead of listing them")
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            help="the name to report (and match settings) for standard input",
            metavar="NAME",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="record today's findings here, then report only new ones",
            metavar="FILE",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="apply mechanical fixes to .txt files")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="show the fixes as a diff, change nothing")
    ] = False,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Lint draft plans: exit 0 clean, 1 findings at or above --fail-on, 2 bad input."""
    from planc.check.command import CheckOptions, run_check

    options = CheckOptions(
        select=select,
        ignore=ignore,
        fmt=fmt,
        fail_on=fail_on,
        output=output,
        max_bytes=max_bytes,
        config=config,
        quiet=quiet,
        statistics=statistics,
        stdin_filename=stdin_filename,
        baseline=baseline,
        fix=fix,
        diff=diff,
    )
    raise typer.Exit(run_check(files, options))


@app.command("rules", short_help="Explain the rules of planc check, with examples.")
def rules_command(
    codes: Annotated[
        list[str] | None, typer.Argument(help="rule ids, prefixes or names", metavar="RULE...")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text or json", metavar="FORMAT")
    ] = "text",
) -> None:
    """Explain the rules of `planc check`, each with a failing and a passing example."""
    from planc.check.command import list_rules

    raise typer.Exit(list_rules(codes, fmt))


@app.command("report", short_help="Write an HTML report of each plan, for people to read.")
def report_command(
    files: FILES,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="report.html; a folder (several plans); - for stdout",
            metavar="PATH",
        ),
    ] = None,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Write a self-contained HTML report of each plan: text, timeline, owners, targets."""
    from planc.report.command import run_report

    raise typer.Exit(run_report(files, output, max_bytes))


@app.command("validate", short_help="Check compiled YAML or JSON against the schema.")
def validate_command(
    files: Annotated[
        list[str],
        typer.Argument(help="compiled plans (.yaml, .yml, .json)", metavar="FILE..."),
    ],
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Check compiled output against the schema; exit 0 valid, 1 invalid, 2 unreadable."""
    from planc.load import validate_files

    raise typer.Exit(validate_files(files, max_bytes))


@app.command("ledger", short_help="Write or update the 任务台账 of plans, one workbook.")
def ledger_command(
    plans: FILES,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="the workbook to write (.xlsx)")
    ] = None,
    update: Annotated[
        Path | None,
        typer.Option("--update", help="regenerate planc's columns of this ledger, keep the rest"),
    ] = None,
    warn_days: Annotated[
        int, typer.Option("--warn-days", min=0, help="yellow when due within this many days")
    ] = 30,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """Write the 任务台账 of plans as one workbook, or update one without losing what was typed."""
    from planc.tasks import run_ledger

    raise typer.Exit(run_ledger(plans, output, update, warn_days, max_bytes))


@app.command("tasks", short_help="List what a unit owes and when, across plans and ledgers.")
def tasks_command(
    paths: Annotated[list[str], typer.Argument(help="plans, folders of plans, or ledgers (.xlsx)")],
    owner: Annotated[
        str | None, typer.Option("--owner", help="a unit, as printed or abbreviated")
    ] = None,
    due_before: Annotated[
        str | None, typer.Option("--due-before", help="due on or before this date (YYYY-MM-DD)")
    ] = None,
    due_within: Annotated[
        str | None, typer.Option("--due-within", help="due within this time from today: 30d, 2w")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="未启动, 推进中, 已完成, 滞后 or 延期")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
    max_clauses: MAX_CLAUSES = DEFAULT_MAX_CLAUSES,
    max_items: MAX_ITEMS = DEFAULT_MAX_ITEMS,
) -> None:
    """List the tasks a unit owes and when, across plans and ledgers."""
    from planc.tasks import Query, parse_day, parse_within, run_tasks

    query = Query(
        owner=owner,
        due_before=parse_day(due_before, "--due-before") if due_before else None,
        due_within=parse_within(due_within) if due_within else None,
        status=status,
    )
    raise typer.Exit(run_tasks(paths, query, fmt, max_bytes))


def _app_for(argv: list[str]) -> typer.Typer:
    """``app``, or a copy of it with only the command ``argv`` names, when it names one.

    typer builds every command (its parameters, their types, their help) before it parses the
    first argument: for `planc parse`, nine commands it will not run. `planc` alone, its help,
    and a mistyped command still see them all.
    """
    name = argv[1] if len(argv) > 1 else None
    chosen = [command for command in app.registered_commands if command.name == name]
    if not chosen:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


def main() -> None:
    """Entry point: planc's own errors become one line and exit code 2."""
    try:
        _app_for(sys.argv)()
    except PlancError as error:
        fail(error)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("planc: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug: say so in one line; PLANC_DEBUG=1 shows the traceback
        if os.environ.get("PLANC_DEBUG"):
            raise
        print(f"planc: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(3)
