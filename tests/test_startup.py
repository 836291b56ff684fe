"""What `planc parse` loads, and the plain data it writes instead of the model.

`planc parse` writes YAML and JSON from the compiler's plain data (``compile_data``) and
coerces its arguments without pydantic; these tests hold that data to the model it stands
for, and the command to loading only what it needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given

from planc.compile import (
    DEADLINE_FIELDS,
    OWNER_FIELDS,
    TARGET_FIELDS,
    compile_data,
    compile_document,
    plan_of,
)
from planc.emit import render, render_utf8
from planc.model import Deadline, Owner, Target
from planc.read import read_path
from planc.read.document import Document
from tests.conftest import ROOT, SHARED, SOURCES
from tests.test_properties import plan_text

REAL_PLANS = (
    sorted(SOURCES.rglob("*.txt"))
    + sorted((SHARED / "corpus").glob("*.txt"))
    + sorted(
        path
        for path in (SHARED / "corpus" / "formats").glob("*")
        if path.suffix in (".docx", ".html", ".ofd") or path.name.endswith("word-export.pdf")
    )
)


def test_item_fields_are_the_models() -> None:
    assert tuple(Deadline.model_fields) == DEADLINE_FIELDS
    assert tuple(Target.model_fields) == TARGET_FIELDS
    assert tuple(Owner.model_fields) == OWNER_FIELDS


@pytest.mark.parametrize("path", REAL_PLANS, ids=lambda p: Path(p).name)
def test_plain_data_is_the_models_dump_key_for_key(path: Path) -> None:
    data = compile_data(read_path(str(path)), path=path.name)
    plan = compile_document(read_path(str(path)), path=path.name)
    assert data == plan.model_dump()
    assert plan_of(data) == plan
    for fmt in ("yaml", "json"):  # the same bytes: keys in the same order, the same values
        assert render(data, fmt) == render(plan, fmt)
        assert render_utf8(data, fmt) == render_utf8(plan, fmt)


@given(plan_text())
def test_plain_data_is_what_the_model_makes_of_any_plan(text: str) -> None:
    """Generated plans too: the model, validating the data, neither refuses nor changes it."""
    document = Document(text=text, encoding="utf-8", format="txt")
    data = compile_data(document)
    assert data == compile_document(document).model_dump()
    assert render(data, "yaml") == render(plan_of(data), "yaml")


def planc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planc", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_parse_json_is_the_models_json() -> None:
    source = SOURCES / "2023" / "nanyang-tcm-2023.txt"
    done = planc("parse", "-f", "json", str(source.relative_to(ROOT)))
    assert done.returncode == 0, done.stderr
    plan = compile_document(read_path(str(source)), path=str(source.relative_to(ROOT)))
    assert done.stdout == plan.model_dump_json(indent=2) + "\n"
    assert json.loads(done.stdout) == plan.model_dump(mode="json")


# What each run may not load: the model's library, and the other format's writer.
NOT_LOADED = {
    "yaml": ("pydantic", "pydantic_core", "planc.model", "yaml", "json"),
    "json": ("pydantic", "planc.model", "yaml", "planc.emit.yamlwriter"),
}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_parse_loads_neither_pydantic_nor_the_other_writer(fmt: str) -> None:
    program = (
        "import sys\n"
        "from planc.cli import main\n"
        f"sys.argv = ['planc', 'parse', '-f', {fmt!r}, 'sources/2023/nanyang-tcm-2023.txt']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"print(sorted(set(sys.modules) & set({NOT_LOADED[fmt]!r})), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("planc_version:" if fmt == "yaml" else "{")
    assert done.stderr.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "--max-bytes", "abc"], "Invalid value for '--max-bytes': 'abc' is not a valid integer."),
        (["parse", "--max-bytes", "0"], "Invalid value for '--max-bytes': 0 is not in the range x>=1."),
        (["parse", "--max-clauses", "1.5"], "Invalid value for '--max-clauses': '1.5' is not a valid integer."),
        (["ledger", "--warn-days", "-1"], "Invalid value for '--warn-days': -1 is not in the range x>=0."),
        (["build", "-j", "two"], "Invalid value for '--jobs' / '-j': 'two' is not a valid integer."),
    ],
    ids=["letters", "below-min", "fraction", "negative", "jobs"],
)  # fmt: skip
def test_a_bad_option_value_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = planc(*args, "sources/2023/nanyang-tcm-2023.txt")
    assert done.returncode == 2
    assert done.stdout == ""
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {message}"]
    assert "Traceback" not in done.stderr


def test_arguments_keep_their_types(tmp_path: Path) -> None:
    """str, int, Path and lists of str reach the commands as they did through pydantic."""
    from typer.testing import CliRunner

    from planc.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["parse", "sources/2023/nanyang-tcm-2023.txt", "sources/2023/neimenggu-tcm-2023.txt",
         "-o", f"{out}/", "--max-bytes", "1000000", "--max-clauses", "500"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "nanyang-tcm-2023.yaml",
        "neimenggu-tcm-2023.yaml",
    ]
    result = CliRunner().invoke(
        app, ["parse", "--max-bytes", "100", "sources/2023/nanyang-tcm-2023.txt"]
    )
    assert result.exit_code == 2


def test_only_the_command_run_is_built_yet_all_are_listed() -> None:
    """`planc parse` builds only parse; `planc` alone and a mistyped command see them all."""
    listing = planc("-h").stdout.split("Commands:")[1]
    names = [line.split()[0] for line in listing.strip().splitlines()]
    assert {"parse", "build", "diff", "check", "validate", "schema", "tasks"} <= set(names)
    typo = planc("pars", "x.txt")
    assert typo.returncode == 2
    assert "No such command 'pars'. Did you mean 'parse'?" in typo.stderr
    usage = planc("parse", "-h")
    assert usage.returncode == 0 and "planc parse [OPTIONS] FILE..." in usage.stdout.splitlines()[0]


def test_the_command_line_alone_loads_no_parser() -> None:
    """`planc -h` (and every command before it reads a plan) loads neither parser nor model."""
    program = (
        "import sys\n"
        "from planc.cli import main\n"
        "sys.argv = ['planc', '-h']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('planc.parse', 'planc.extract', "
        "'planc.compile', 'pydantic'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT)
    assert "Commands:" in done.stdout
    assert done.stderr.strip() == "[]"
