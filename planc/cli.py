"""The command line: thin wiring from arguments to the core and the emitters."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

# pydantic looks for plugins (an entry-point scan of every installed package) when the first
# model class is made: a tenth of `planc parse`'s start-up, for plugins planc has no use for.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from planc import __version__
from planc.errors import PlancError
from planc.source import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="planc",
    help="Compile Chinese government plan documents into typed, validated data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FILES = Annotated[list[str], typer.Argument(help="plan files (.txt, .docx) or - for stdin")]
OUTPUT = Annotated[
    Path | None, typer.Option("--output", "-o", help="file, or folder for several inputs")
]
MAX_BYTES = Annotated[int, typer.Option("--max-bytes", min=1, help="refuse larger inputs")]


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


@app.command("parse")
def parse_command(
    files: FILES,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="file; or folder (several inputs, or ending in /)"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="yaml (default), json; with -o also xlsx, csv (台账), ics"
        ),
    ] = None,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """Compile plans into a clause tree with metadata, targets, deadlines and owners."""
    with _interruptible():
        from planc.outputs import parse_files

        code = parse_files(files, output, fmt, max_bytes)
    raise typer.Exit(code)


@app.command("schema")
def schema_command(
    kind: Annotated[str, typer.Argument(help="plan (parse output) or diff")] = "plan",
    output: OUTPUT = None,
) -> None:
    """Print (or write) the JSON Schema of `planc parse` (plan) or `planc diff` (diff) output."""
    from planc.outputs import write_schema

    raise typer.Exit(write_schema(kind, output))


# Commands added by later work are registered below, one small function each.


@app.command("build")
def build_command(
    sources: Annotated[Path, typer.Argument(help="folder of plans (.txt, .docx)")] = Path(
        "sources"
    ),
    output: Annotated[
        Path, typer.Option("--output", "-o", help="output folder, mirroring SOURCES")
    ] = Path("out"),
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="yaml, json, xlsx, csv (台账) or ics")
    ] = "yaml",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="worker processes [default: all cores]")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="recompile unchanged plans too")] = False,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """Compile every plan in a folder, in parallel, skipping plans unchanged since last time."""
    from planc.build import run_build

    raise typer.Exit(run_build(sources, output, fmt, jobs, force, max_bytes))


@app.command("diff")
def diff_command(
    old: Annotated[
        str, typer.Argument(help="old edition: plan file, compiled .yaml/.json, or year")
    ],
    new: Annotated[
        str, typer.Argument(help="new edition: plan file, compiled .yaml/.json, or year")
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="text (default), json, yaml or markdown")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to a file")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="list unchanged clauses too")] = False,
    sources: Annotated[
        Path, typer.Option("--sources", help="folder of <year>/ plan folders")
    ] = Path("sources"),
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """What changed between two editions of a plan; exit 0 if the same, 1 if they differ."""
    with _interruptible():
        from planc.diff.command import run_diff

        code = run_diff(old, new, fmt, output, show_all, sources, max_bytes)
    raise typer.Exit(code)


@app.command("check")
def check_command(
    files: FILES,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="only these rules (ids, prefixes, names)")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="skip these rules")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, json, github or sarif")
    ] = "text",
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="exit 1 at this severity or above: error, warning, info, never"
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to a file")] = None,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """Lint draft plans; exit 0 clean, 1 findings at or above --fail-on, 2 bad input."""
    from planc.check.command import run_check

    raise typer.Exit(run_check(files, select, ignore, fmt, fail_on, output, max_bytes))


@app.command("rules")
def rules_command(
    codes: Annotated[list[str] | None, typer.Argument(help="rule ids, prefixes or names")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Explain the rules of `planc check`, each with a failing and a passing example."""
    from planc.check.command import list_rules

    raise typer.Exit(list_rules(codes, fmt))


@app.command("validate")
def validate_command(
    files: Annotated[list[str], typer.Argument(help="compiled plans (.yaml, .yml, .json)")],
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """Check compiled output against the schema; exit 0 valid, 1 invalid, 2 unreadable."""
    from planc.load import validate_files

    raise typer.Exit(validate_files(files, max_bytes))


def main() -> None:
    """Entry point: planc's own errors become one line and exit code 2."""
    try:
        app()
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
