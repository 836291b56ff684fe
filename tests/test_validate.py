"""``planc validate`` and ``planc.load``: compiled output read back and checked, safely."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from planc import limits
from planc.compile import compile_text
from planc.emit import to_json, to_yaml
from planc.errors import PlancError
from planc.load import field_path, load_plan
from tests.conftest import ROOT, SAMPLES

SMALL = "2023年某市工作要点\n一、总体要求\n（一）做好工作。\n1.完成任务。\n"


def run_planc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planc", *args], capture_output=True, text=True, cwd=ROOT
    )


def plan_data() -> dict[str, Any]:
    return json.loads(to_json(compile_text(SMALL, path="small.txt")))


def target(**changes: Any) -> dict[str, Any]:
    span = {"start": 0, "end": 1, "line": 1, "column": 1, "end_line": 1, "end_column": 2}
    return {"text": "2", "value": 2, "max": None, "unit": "家", "cmp": "=", "metric": None,
            "span": span} | changes  # fmt: skip


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_compiled_samples_read_back_to_the_same_plan(tmp_path: Path, fmt: str) -> None:
    plan = compile_text(SAMPLES["neimenggu"].read_text(encoding="utf-8"), path="n.txt")
    path = tmp_path / f"n.{fmt}"
    path.write_text(to_yaml(plan) if fmt == "yaml" else to_json(plan), encoding="utf-8")
    assert load_plan(path) == plan
    result = run_planc("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: valid ({sum(1 for _ in plan.walk())} clauses)\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["clauses"][0]["children"][0].update(targets=[target(cmp="gt")]),
            "clauses[0].children[0].targets[0].cmp: Input should be '=', '>=', '<=', '~' or 'range'",
        ),
        (lambda d: d.pop("meta"), "meta: Field required"),
        (lambda d: d["clauses"][0].update(colour="red"), "clauses[0].colour: Extra inputs"),
        (
            lambda d: d["front_matter"]["span"].update(start=-1),
            "front_matter.span.start: Input should be greater than or equal to 0",
        ),
        (
            lambda d: d["meta"].update(issued="2023-02-30"),
            "meta.issued: Input should be a valid date",
        ),
        (
            lambda d: d["clauses"][0]["children"][0].update(owners=[{"name": "x"}]),
            "clauses[0].children[0].owners[0].role: Field required (and 2 more)",
        ),
    ],
    ids=["cmp", "missing", "unknown-field", "negative-offset", "bad-date", "several"],
)
def test_invalid_plan_names_the_wrong_field_and_exits_1(
    tmp_path: Path, change: Any, message: str
) -> None:
    data = plan_data()
    change(data)
    path = write_json(tmp_path / "x.json", data)
    with pytest.raises(PlancError) as caught:
        load_plan(path)
    assert caught.value.exit_code == 1
    assert str(caught.value).startswith(f"{path}: {message}")
    result = run_planc("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"planc: {path}: {message}")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.yaml", "- 1\n- 2\n", "top level is a list"),
        ("empty.yaml", "", "top level is empty"),
        ("scalar.json", '"plan"', "top level is a string"),
        ("broken.yaml", "meta: {title: [x\nclauses: []\n", "is not valid YAML"),
        ("broken.json", '{"meta": {', "is not valid JSON: Expecting property name"),
        ("tagged.yaml", "!!python/object/apply:os.system ['echo pwned']\n", "is not valid YAML"),
        ("alias.yaml", "a: &x [1]\nb: *x\n", "uses YAML aliases"),
        ("deep.yaml", "[" * 200 + "]" * 200, "nested too deeply"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_files_are_invalid_not_a_crash(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlancError, match=message) as caught:
        load_plan(path)
    assert caught.value.exit_code == 1


def test_yaml_tags_never_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(f"!!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = run_planc("validate", str(path))
    assert result.returncode == 1 and "is not valid YAML" in result.stderr
    assert not marker.exists()


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_planc("validate", str(path))
    assert result.returncode == 1 and "aliases" in result.stderr
    assert time.perf_counter() - started < 30  # expanded, it would be 10**9 strings


def test_deep_yaml_does_not_crash_the_process(tmp_path: Path) -> None:
    """libyaml's composer recurses: 100,000 nested lists would overflow the C stack."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_planc("validate", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"planc: {path}: is nested too deeply to be a plan\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.yaml", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "gbk.yaml").write_bytes("标题".encode("gbk")) and d / "gbk.yaml", "UTF-8"),
    ],
    ids=["missing", "directory", "not-utf8"],
)
def test_unreadable_files_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    path = make(tmp_path)
    result = run_planc("validate", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"planc: {path}: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_size_limit_and_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.json"
    path.write_text(to_json(compile_text(SMALL)) + " " * 4_000, encoding="utf-8")
    limits.configure(limits.Limits(clauses=1))  # compiled plans get 4 × 100 + 2 × 1,000 bytes
    with pytest.raises(PlancError, match="larger than the 2,400-byte limit for compiled") as caught:
        load_plan(path, max_bytes=100)
    assert caught.value.exit_code == 2

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # chmod 000 does not stop root: simulate it
    with pytest.raises(PlancError, match="permission denied") as caught:
        load_plan(path)
    assert caught.value.exit_code == 2


def test_several_files_exit_with_the_worst_status(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(to_yaml(compile_text(SMALL)), encoding="utf-8")
    bad = write_json(tmp_path / "bad.json", {"meta": {}})
    missing = tmp_path / "missing.json"
    result = run_planc("validate", str(good), str(bad))
    assert result.returncode == 1 and result.stdout.startswith(f"{good}: valid")
    result = run_planc("validate", str(missing), str(good), str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 2


def test_format_follows_the_suffix_else_the_content(tmp_path: Path) -> None:
    text = to_json(compile_text(SMALL))
    (tmp_path / "plan.out").write_text(text, encoding="utf-8")  # JSON sniffed from '{'
    assert load_plan(tmp_path / "plan.out").clauses[0].id == "1"
    (tmp_path / "plan.yml").write_text(yaml.safe_dump(json.loads(text)), encoding="utf-8")
    assert load_plan(tmp_path / "plan.yml") == load_plan(tmp_path / "plan.out")


def test_field_path() -> None:
    assert field_path(("clauses", 3, "targets", 0, "cmp")) == "clauses[3].targets[0].cmp"
    assert field_path(()) == "(top level)"
