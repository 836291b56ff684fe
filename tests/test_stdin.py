"""`-` reads standard input in diff and validate too, as in parse and check."""

from __future__ import annotations

from tests.conftest import SAMPLES, SOURCES
from tests.test_check_cli import planc


def test_validate_reads_standard_input() -> None:
    compiled = planc("parse", str(SAMPLES["nanyang"]), "-f", "json").stdout
    result = planc("validate", "-", stdin=compiled)
    assert result.returncode == 0 and result.stdout == "-: valid (44 clauses)\n"
    bad = planc("validate", "-", stdin='{"planc_version": 1}')
    assert bad.returncode == 1 and bad.stderr.startswith("planc: -: ")


def test_diff_reads_a_plan_or_its_compiled_output_from_standard_input() -> None:
    old = str(SAMPLES["nanyang"])
    new = SOURCES / "2024" / "nanyang-tcm-2024.txt"
    by_file = planc("diff", old, str(new), "-f", "json").stdout
    from_text = planc("diff", old, "-", "-f", "json", stdin=new.read_text("utf-8"))
    compiled = planc("parse", str(new), "-f", "json").stdout
    from_compiled = planc("diff", old, "-", "-f", "json", stdin=compiled)
    assert from_text.returncode == from_compiled.returncode == 1  # they differ
    changes = [r.stdout.split('"clauses"', 1)[1] for r in (from_text, from_compiled)]
    assert changes[0] == changes[1] == by_file.split('"clauses"', 1)[1]
    broken = planc("diff", old, "-", stdin="{")
    assert broken.returncode == 2 and broken.stderr.count("\n") == 1
