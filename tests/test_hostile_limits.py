"""Hostile input, round two (issue 14): bounded work on dense input, no stale build, no
internal errors. Each case is small, made here, and ends in one line on stderr and the right
exit code; the caps are tried at small values, and at their defaults where that is cheap.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from planc import __version__, limits
from planc import build as build_module
from planc.build import MANIFEST
from planc.cli import main
from planc.compile import compile_text
from planc.emit import to_json, to_yaml
from planc.errors import PlancError
from planc.limits import DEFAULT_MAX_CLAUSES, DEFAULT_MAX_ITEMS, LINES_PER_CLAUSE
from tests.conftest import start_build

PLAN = (
    "某市卫生健康委员会\n关于印发2023年工作要点的通知\n2023年3月1日\n"
    "一、总体要求\n（一）6月底前完成80%以上。\n"
)


POSIX = pytest.mark.skipif(sys.platform == "win32", reason="links, FIFOs, modes, /dev/zero")


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """The CLI's entry point in this process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["planc", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def one_line(err: str, words: str, path: Path | str | None = None) -> None:
    """One line on stderr, saying ``words`` (about ``path``), and no traceback."""
    assert err.count("\n") == 1 and err.startswith("planc: "), err
    if path is not None:
        assert err.startswith(f"planc: {path}: "), err
    assert words in err, err
    assert "Traceback" not in err and "internal error" not in err, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# 5. Caps on dense input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "options", "words"),
    [
        ("（一）\n" * (DEFAULT_MAX_CLAUSES + 1), (), f"more than {DEFAULT_MAX_CLAUSES:,} clauses"),
        ("（一）\n" * 150, ("--max-clauses", "100"), "more than 100 clauses"),
        ("一、\n（一）\n1.\n（1）\n①\n" * 30, ("--max-clauses", "100"), "more than 100 clauses"),
        ("\n" * (LINES_PER_CLAUSE * DEFAULT_MAX_CLAUSES + 1) + "一、x\n", (), "lines, more than"),
        (
            "一、" + "1-2%-3-4%-" * 600,
            (),
            f"clause 1 has more than {DEFAULT_MAX_ITEMS:,} deadlines, targets or owners",
        ),
        ("一、" + "1-2%-3-4%-" * 30, ("--max-items", "50"), "clause 1 has more than 50"),
        (
            "".join(f"{n}.提高到50%、60%、70%。\n" for n in range(1, 10)),
            ("--max-clauses", "10"),
            "more than 10 deadlines, targets",
        ),
        ("一、" + ("中" * 99 + "。\n") * 15, ("--max-items", "1"), "clause 1 has 1,"),
        ("一、" + "中" * 1_500 + "\n", ("--max-items", "1"), "has a line of 1,502 characters"),
    ],
    ids=[
        "default clauses",
        "clauses",
        "nested clauses",
        "default lines",
        "default items per clause",
        "items per clause",
        "items per plan",
        "characters per clause",
        "characters per line",
    ],
)
def test_dense_input_is_refused_by_a_cap(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    options: tuple[str, ...],
    words: str,
) -> None:
    source = write(tmp_path / "dense.txt", text)
    code, out, err = cli(monkeypatch, capsys, "parse", str(source), *options)
    assert (code, out) == (2, "")
    one_line(err, words, source)


def test_a_cap_can_be_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "dense.txt", "（一）做好工作。\n" * 150)
    assert cli(monkeypatch, capsys, "parse", str(source), "--max-clauses", "100")[0] == 2
    code, out, _ = cli(monkeypatch, capsys, "parse", str(source), "--max-clauses", "150")
    assert code == 0 and out.count("- id:") >= 150
    dense = write(tmp_path / "targets.txt", "一、" + "1-2%-3-4%-" * 30)
    code, _, _ = cli(monkeypatch, capsys, "parse", str(dense), "--max-items", "60")
    assert code == 0


def test_the_caps_apply_in_build_workers_and_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "src" / "dense.txt", "（一）\n" * 150)
    write(tmp_path / "src" / "fine.txt", PLAN)
    code, _, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "--max-clauses", "100")
    assert code == 1
    one_line(err, "more than 100 clauses", Path("src") / "dense.txt")
    assert (tmp_path / "out" / "fine.yaml").exists()
    code, _, err = cli(monkeypatch, capsys, "check", "src/dense.txt", "--max-clauses", "100")
    assert code == 2
    one_line(err, "more than 100 clauses")


def test_library_calls_have_no_caps() -> None:
    plan = compile_text("（一）\n" * 300)  # the caps belong to the commands
    assert len(plan.clauses) == 300


# 6. Diff size ----------------------------------------------------------------------------


def test_diff_of_plans_over_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path / "old.txt", "".join(f"（{n}）做好工作。\n" for n in "一二三" * 10))
    new = write(tmp_path / "new.txt", old.read_text(encoding="utf-8") + "（三十一）新增。\n")
    code, out, err = cli(
        monkeypatch, capsys, "diff", str(old), str(new), "--max-diff-clauses", "20"
    )
    assert (code, out) == (2, "")
    one_line(err, "has 30 clauses, more than the 20 that diff compares", old)
    code, out, err = cli(monkeypatch, capsys, "diff", str(old), str(new))
    assert code == 1 and "新增" in out and err == ""


# 7. The incremental build never trusts an output that no longer matches -----------------


def plan(index: int, edit: str = "") -> str:
    return (
        f"某市卫生健康委员会\n第{index}号计划{edit}\n一、总体要求\n（一）6月底前完成{index}项。\n"
    )


def build(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "-j", "1")
    assert code == 0, err
    return out.splitlines()[0]


def test_a_killed_build_then_restored_sources_recompiles_the_stale_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What SIGKILL leaves: outputs of the edited sources, and the manifest of the build before."""
    monkeypatch.chdir(tmp_path)
    for index in range(4):
        write(tmp_path / "src" / f"p{index}.txt", plan(index))
    assert "4 compiled" in build(monkeypatch, capsys)
    before = (tmp_path / "out" / MANIFEST).read_bytes()
    for index in range(4):
        write(tmp_path / "src" / f"p{index}.txt", plan(index, "（改）"))
    assert "4 compiled" in build(monkeypatch, capsys)
    (tmp_path / "out" / MANIFEST).write_bytes(before)  # killed before its manifest was saved
    for index in range(4):
        write(tmp_path / "src" / f"p{index}.txt", plan(index))  # sources restored
    assert "4 compiled, 0 unchanged" in build(monkeypatch, capsys)
    for index in range(4):
        assert "（改）" not in (tmp_path / "out" / f"p{index}.yaml").read_text(encoding="utf-8")
    assert "0 compiled, 4 unchanged" in build(monkeypatch, capsys)


@POSIX
def test_sigkill_mid_build_then_restore_rebuilds_what_is_stale(tmp_path: Path) -> None:
    total = 30
    src = tmp_path / "src"
    for index in range(total):
        write(src / f"p{index:02}.txt", plan(index) * 20)
    first = start_build(tmp_path, "src", "-o", "out", "-j", "1")
    assert first.wait(timeout=300) == 0
    for index in range(total):
        write(src / f"p{index:02}.txt", plan(index, "（改）") * 20)
    edited = start_build(tmp_path, "src", "-o", "out", "-j", "1")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and edited.poll() is None:
        outputs = (tmp_path / "out").glob("*.yaml")
        if any("（改）" in p.read_text(encoding="utf-8") for p in outputs):
            break
        time.sleep(0.01)
    edited.send_signal(signal.SIGKILL)
    edited.communicate(timeout=60)
    for index in range(total):
        write(src / f"p{index:02}.txt", plan(index) * 20)
    again = start_build(tmp_path, "src", "-o", "out", "-j", "1")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    for path in (tmp_path / "out").glob("*.yaml"):
        assert "（改）" not in path.read_text(encoding="utf-8"), path


def test_a_source_edited_while_it_is_read_and_then_restored_is_recompiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "src" / "p.txt", plan(1))
    real_read = build_module.read_plan_bytes

    def edited_meanwhile(path: str, max_bytes: int) -> tuple[bytes, dict[str, int]]:
        write(source, plan(1, "（中途）"))  # the editor saves just as the build reads
        return real_read(path, max_bytes)

    monkeypatch.setattr(build_module, "read_plan_bytes", edited_meanwhile)
    assert "1 compiled" in build(monkeypatch, capsys)
    monkeypatch.setattr(build_module, "read_plan_bytes", real_read)
    output = tmp_path / "out" / "p.yaml"
    assert "（中途）" in output.read_text(encoding="utf-8")
    write(source, plan(1))  # and then restores the file
    assert "1 compiled, 0 unchanged" in build(monkeypatch, capsys)
    assert "（中途）" not in output.read_text(encoding="utf-8")


def test_a_changed_or_missing_output_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "src" / "p.txt", plan(1))
    build(monkeypatch, capsys)
    output = tmp_path / "out" / "p.yaml"
    original = output.read_bytes()
    output.write_bytes(original.replace("第1号".encode(), "第9号".encode()))  # same size
    assert "1 compiled, 0 unchanged" in build(monkeypatch, capsys)
    assert output.read_bytes() == original
    os.utime(output, ns=(time.time_ns(), time.time_ns()))  # touched, same bytes: kept
    assert "0 compiled, 1 unchanged" in build(monkeypatch, capsys)
    output.unlink()
    assert "1 compiled, 0 unchanged" in build(monkeypatch, capsys)


@POSIX
@pytest.mark.parametrize(
    "damage",
    ["deep", "wrong entry", "link to /dev/zero", "fifo", "huge"],
)
def test_a_damaged_manifest_means_rebuild_everything(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "src" / "p.txt", plan(1))
    build(monkeypatch, capsys)
    manifest = tmp_path / "out" / MANIFEST
    manifest.unlink()
    if damage == "deep":
        manifest.write_text("[" * 100_000, encoding="utf-8")
    elif damage == "wrong entry":
        entries = {"p.yaml": [1, 2], "q.yaml": {"source": 3, "output": "x"}}
        manifest.write_text(json.dumps({"planc": __version__, "plans": entries}))
    elif damage == "link to /dev/zero":
        manifest.symlink_to("/dev/zero")
    elif damage == "fifo":
        os.mkfifo(manifest)
    else:
        with manifest.open("wb") as handle:  # sparse: larger than any manifest, costs nothing
            handle.truncate(build_module.MANIFEST_MAX_BYTES + 1)
    assert "1 compiled, 0 unchanged" in build(monkeypatch, capsys)
    assert "0 compiled, 1 unchanged" in build(monkeypatch, capsys)  # and written anew
    assert stat.S_ISREG(manifest.lstat().st_mode)


# 8. Compiled output is read back under a larger limit -----------------------------------


def test_compiled_output_larger_than_max_bytes_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "plan.txt", PLAN * 5)
    size = str(source.stat().st_size)
    compiled = tmp_path / "plan.yaml"
    assert cli(monkeypatch, capsys, "parse", str(source), "-o", str(compiled))[0] == 0
    assert compiled.stat().st_size > 3 * source.stat().st_size
    code, out, _ = cli(monkeypatch, capsys, "validate", str(compiled), "--max-bytes", size)
    assert code == 0 and "valid" in out
    code, _, err = cli(
        monkeypatch, capsys, "diff", str(compiled), str(compiled), "--max-bytes", size
    )
    assert code == 0, err
    code, _, err = cli(
        monkeypatch, capsys, "validate", str(compiled), "--max-bytes", "100", "--max-clauses", "1"
    )
    assert code == 2  # 4 × 100 bytes, and 1,000 for each of 1 clause and 1 item
    one_line(err, "larger than the 2,400-byte limit for compiled plans", compiled)


@pytest.mark.parametrize(
    ("name", "text"),
    [("flat.json", '{"a": [' + "1," * 2_000 + "1]}"), ("flat.yaml", "a:\n" + "- 1\n" * 2_000)],
)
def test_more_values_than_a_plan_within_the_caps_holds_are_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
) -> None:
    path = write(tmp_path / name, text)  # a flat list of scalars holds no clause at all
    code, _, err = cli(monkeypatch, capsys, "validate", str(path), "--max-clauses", "1")
    assert code == 1
    one_line(err, "holds more clauses and items than a plan may (see --max-clauses)", path)


# 9. Modes and links ------------------------------------------------------------------------


@POSIX
def test_build_skips_links_out_of_sources_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    secret = write(tmp_path / "private" / "accounts", "root:x:0:0:root:/root:/bin/bash\n")
    write(tmp_path / "src" / "real.txt", PLAN)
    (tmp_path / "src" / "passwd.txt").symlink_to(secret)
    (tmp_path / "src" / "alias.txt").symlink_to(tmp_path / "src" / "real.txt")  # inside: fine
    code, out, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "-j", "1")
    assert code == 0 and "2 compiled" in out
    one_line(err, "links outside src, skipped")
    assert err.startswith("planc: warning: src/passwd.txt: ")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.yaml")) == ["alias.yaml", "real.yaml"]


@POSIX
def test_an_output_never_keeps_or_borrows_a_setuid_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "plan.txt", PLAN)
    existing = write(tmp_path / "existing.yaml", "old\n")
    existing.chmod(0o4755)
    assert cli(monkeypatch, capsys, "parse", str(source), "-o", str(existing))[0] == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755
    target = write(tmp_path / "target", "someone else's\n")
    target.chmod(0o4755)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert cli(monkeypatch, capsys, "parse", str(source), "-o", str(link))[0] == 0
    assert not link.is_symlink() and stat.S_IMODE(link.stat().st_mode) & 0o7000 == 0
    assert target.read_text(encoding="utf-8") == "someone else's\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o4755


# 10. Values that no plan holds ------------------------------------------------------------


def compiled(tmp_path: Path, fmt: str) -> Path:
    path = tmp_path / f"plan.{fmt}"
    plan_ = compile_text(PLAN, path="plan.txt")
    path.write_text(to_json(plan_) if fmt == "json" else to_yaml(plan_), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "pattern", "replace", "words"),
    [
        ("json", r'"chars": \d+', '"chars": ' + "9" * 5_000, "a number of 5,000 digits"),
        ("yaml", r"chars: \d+", "chars: " + "9" * 5_000, "a number of 5,000 digits"),
        ("yaml", r"issued: '2023-03-01'", "issued: 2023-02-30", "meta.issued: "),
        ("json", r'"heading": "', '"heading": "\\ud800', "lone surrogate"),
        ("yaml", r"heading: .*", 'heading: "\\ud800"', "invalid Unicode"),  # libyaml's word
        ("json", r'"chars": \d+', '"chars": NaN', "NaN is not a number"),
        ("json", r'"chars": \d+', '"chars": -Infinity', "Infinity is not a number"),
        ("json", r'"chars": \d+', '"chars": 1e999', "1e999 is not a number"),
        ("yaml", r"chars: \d+", "chars: .nan", "nan is not a number"),
    ],
    ids=[
        "json long int",
        "yaml long int",
        "yaml bad date",
        "json surrogate",
        "yaml surrogate",
        "json NaN",
        "json Infinity",
        "json 1e999",
        "yaml nan",
    ],
)
def test_hand_edited_values_are_one_line_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    pattern: str,
    replace: str,
    words: str,
) -> None:
    path = compiled(tmp_path, fmt)
    text, done = re.subn(pattern, lambda _: replace, path.read_text(encoding="utf-8"), count=1)
    assert done == 1
    path.write_text(text, encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, "validate", str(path))
    assert (code, out) == (1, "")
    one_line(err, words, path)
    code, out, err = cli(monkeypatch, capsys, "diff", str(path), str(path), "-f", "json")
    assert (code, out) == (2, "")  # for diff, 1 means "they differ"
    one_line(err, words, path)


def test_unquoted_good_dates_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = compiled(tmp_path, "yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("issued: '2023-03-01'", "issued: 2023-03-01"), encoding="utf-8")
    code, _, err = cli(monkeypatch, capsys, "validate", str(path))
    assert code == 0, err


# 11. Files that never end -------------------------------------------------------------------


@POSIX
def test_validate_and_diff_refuse_a_fifo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    code, _, err = cli(monkeypatch, capsys, "validate", str(fifo))
    assert code == 2
    one_line(err, "is not a regular file", fifo)
    good = compiled(tmp_path, "json")
    code, _, err = cli(monkeypatch, capsys, "diff", str(fifo), str(good))
    assert code == 2
    one_line(err, "is not a regular file", fifo)


# 12. Names and numbers ------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes")
def test_a_file_name_that_is_not_utf8_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"plan\xff.txt")
    (tmp_path / "src").mkdir()
    write(tmp_path / "src" / name, PLAN)
    code, out, err = cli(monkeypatch, capsys, "parse", str(tmp_path / "src" / name))
    assert code == 0, err
    assert "plan\ufffd.txt" in out
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "-j", "1")
    assert code == 0 and "1 compiled" in out, err
    assert (tmp_path / "out" / os.fsdecode(b"plan\xff.yaml")).exists()


def test_output_names_near_the_file_system_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    fits = write(tmp_path / ("a" * 250 + ".txt"), PLAN)  # its output's name is 255 bytes
    code, _, err = cli(monkeypatch, capsys, "parse", str(fits), "-o", f"{out}/")
    assert code == 0, err  # the temporary file's name must fit too
    assert [len(p.name) for p in out.iterdir()] == [255]
    too_long = write(tmp_path / ("b" * 251 + ".txt"), PLAN)  # its output's would be 256
    code, _, err = cli(monkeypatch, capsys, "parse", str(too_long), "-o", f"{out}/")
    assert code == 2
    one_line(err, "cannot write: File name too long")
    assert [len(p.name) for p in out.iterdir()] == [255]


@pytest.mark.parametrize("command", ["parse", "validate"])
def test_max_bytes_beyond_any_file_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    source = write(tmp_path / "plan.txt", PLAN)
    code, _, err = cli(monkeypatch, capsys, command, str(source), "--max-bytes", "9" * 23)
    assert code == 2
    one_line(err, "--max-bytes 99999999999999999999999 is more than any file can hold")


def test_jobs_are_clamped_to_the_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for index in range(5):
        write(tmp_path / "src" / f"p{index}.txt", plan(index))
    seen: list[int] = []
    real_run = build_module._run

    def spy(jobs: list[build_module.Job], workers: int, *rest: object) -> None:
        seen.append(workers)
        real_run(jobs, 1, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "_cores", lambda: 2)
    monkeypatch.setattr(build_module, "_run", spy)
    code, out, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "-j", "10000")
    assert code == 0 and "5 compiled" in out, err
    assert seen == [2]


def test_clauses_without_labels_are_counted_after_parsing() -> None:
    """Rows of a task table become clauses with no label: the parsed tree is counted too."""
    row = SimpleNamespace(children=[])
    limits.configure(limits.Limits(clauses=3))
    limits.check_clause_count([SimpleNamespace(children=[row]), row])  # three: allowed
    with pytest.raises(PlancError, match="more than 3 clauses"):
        limits.check_clause_count([SimpleNamespace(children=[row, row, row])])
