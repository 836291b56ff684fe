"""The command line: thin wiring from arguments to the core and the emitters."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

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
MAX_BYTES = Annotated[int, typer.Option("--max-bytes", help="refuse larger inputs")]


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
    output: OUTPUT = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="yaml (default) or json")
    ] = None,
    max_bytes: MAX_BYTES = DEFAULT_MAX_BYTES,
) -> None:
    """Compile plans into a clause tree with metadata, targets, deadlines and owners."""
    from planc.outputs import parse_files

    raise typer.Exit(parse_files(files, output, fmt, max_bytes))


@app.command("schema")
def schema_command(output: OUTPUT = None) -> None:
    """Print (or write) the JSON Schema of `planc parse` output."""
    from planc.outputs import write_schema

    raise typer.Exit(write_schema(output))


# Commands added by later work are registered below, one small function each.


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
