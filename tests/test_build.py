"""``planc build`` on real folders: bad plans reported, the rest compiled, reruns skipped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
import yaml

from planc.build import MANIFEST, find_plans, run_build
from planc.source import DEFAULT_MAX_BYTES
from tests.conftest import SAMPLES, start_build
from tests.test_ledger import PLANC


def planc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANC, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def build(
    capsys: pytest.CaptureFixture[str], fmt: str = "yaml", jobs: int | None = None,
    force: bool = False, out: str = "out",
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """What ``planc build src -o out ...`` does, in this process (the extractors stay warm)."""
    code = run_build(Path("src"), Path(out), fmt, jobs, force, DEFAULT_MAX_BYTES)
    captured = capsys.readouterr()
    return subprocess.CompletedProcess([], code, captured.out, captured.err)


def summary(stdout: str) -> dict[str, int]:
    """The plain-text summary table: its last two lines, names over numbers."""
    names, values = (line.split() for line in stdout.strip().splitlines()[-2:])
    return {name: int(value.replace(",", "")) for name, value in zip(names, values, strict=True)}


def variant(index: int) -> bytes:
    """A sample plan with one line of its front matter changed, so each copy differs."""
    sample = SAMPLES["nanyang" if index % 2 else "neimenggu"].read_text(encoding="utf-8")
    title, rest = sample.split("\n", 1)
    return f"{title}\n（第{index}份）\n{rest}".encode()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One good plan, a binary file, an empty file, and files that are not plans at all."""
    src = tmp_path / "src"
    (src / "2023").mkdir(parents=True)
    (src / "2023" / "good.txt").write_bytes(SAMPLES["nanyang"].read_bytes())
    (src / "2023" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (src / "empty.txt").write_bytes(b"")
    (src / ".draft.txt").write_bytes(SAMPLES["neimenggu"].read_bytes())
    (src / ".git").mkdir()
    (src / ".git" / "x.txt").write_bytes(SAMPLES["neimenggu"].read_bytes())
    (src / "notes.md").write_text("# not a plan\n", encoding="utf-8")
    return tmp_path


def test_bad_plans_are_reported_and_the_good_one_compiles(folder: Path) -> None:
    run = planc("build", "src", "-o", "out", cwd=folder)

    assert run.returncode == 1
    errors = run.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("planc: src/2023/binary.txt: ")
    assert errors[1].startswith("planc: src/empty.txt: ")
    written = sorted(p.relative_to(folder / "out").as_posix() for p in (folder / "out").rglob("*"))
    assert written == [MANIFEST, "2023", "2023/good.yaml"]
    plan = yaml.safe_load((folder / "out" / "2023" / "good.yaml").read_text(encoding="utf-8"))
    assert plan["source"]["path"] == "src/2023/good.txt"
    table = summary(run.stdout)
    assert table["plans"] == 1 and table["failures"] == 2
    assert table["clauses"] == _count(plan["clauses"]) == 44
    assert table["deadlines"] == _count(plan["clauses"], "deadlines") > 0


def _count(clauses: list[dict[str, object]], items: str | None = None) -> int:
    total = 0
    for clause in clauses:
        total += len(clause[items]) if items else 1  # type: ignore[arg-type]
        total += _count(clause["children"], items)  # type: ignore[arg-type]
    return total


def test_a_rerun_skips_what_has_not_changed(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    first = build(capsys, jobs=1)
    output = folder / "out" / "2023" / "good.yaml"
    written = output.stat().st_mtime_ns

    again = build(capsys, jobs=1)
    assert "0 compiled, 1 unchanged, 2 failed" in again.stdout
    assert again.returncode == 1 and len(again.stderr.splitlines()) == 2  # still reported
    assert output.stat().st_mtime_ns == written
    assert summary(again.stdout) == summary(first.stdout)  # totals come from the manifest

    source = folder / "src" / "2023" / "good.txt"
    os.utime(source, ns=(time.time_ns(), time.time_ns()))  # touched, same content: hashed
    assert "0 compiled, 1 unchanged" in build(capsys, jobs=1).stdout
    assert output.stat().st_mtime_ns == written

    source.write_bytes(variant(1))
    assert "1 compiled, 0 unchanged" in build(capsys, jobs=1).stdout
    assert "（第1份）" in output.read_text(encoding="utf-8")
    forced = build(capsys, jobs=1, force=True)
    assert "1 compiled, 0 unchanged" in forced.stdout


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[1, 2]", b'{"planc": "0.0.1"}'])
def test_a_damaged_or_outdated_manifest_means_a_full_build(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    monkeypatch.chdir(folder)
    build(capsys, jobs=1)
    (folder / "out" / MANIFEST).write_bytes(damage)
    assert "1 compiled, 0 unchanged" in build(capsys, jobs=1).stdout
    assert "0 compiled, 1 unchanged" in build(capsys, jobs=1).stdout


def test_parallel_and_serial_builds_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for index in range(6):
        (tmp_path / "src" / f"y{index % 3}").mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / f"y{index % 3}" / f"p{index}.txt").write_bytes(variant(index))
    serial = build(capsys, jobs=1, out="one")
    parallel = build(capsys, jobs=2, out="two")
    assert serial.returncode == parallel.returncode == 0
    assert summary(serial.stdout) == summary(parallel.stdout)
    for rel in find_plans(tmp_path / "src"):
        out = Path(rel).with_suffix(".yaml")
        assert (tmp_path / "one" / out).read_bytes() == (tmp_path / "two" / out).read_bytes()


def test_each_format_gets_its_own_files_and_manifest_entries(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    (folder / "src" / "2023" / "binary.txt").unlink()
    (folder / "src" / "empty.txt").unlink()
    for fmt in ("xlsx", "csv", "ics", "yaml"):
        assert build(capsys, fmt, jobs=1).returncode == 0
    out = folder / "out" / "2023"
    assert sorted(p.name for p in out.iterdir()) == [
        "good.csv",
        "good.ics",
        "good.xlsx",
        "good.yaml",
    ]
    sheet = openpyxl.load_workbook(out / "good.xlsx").active
    assert sheet is not None and sheet["B1"].value == "重点任务"
    assert out.joinpath("good.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    manifest = json.loads((folder / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["plans"]) == [f"2023/good.{f}" for f in ("csv", "ics", "xlsx", "yaml")]
    rerun = build(capsys, "xlsx", jobs=1)
    assert "0 compiled, 1 unchanged" in rerun.stdout


def test_two_sources_for_one_output_are_reported(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    (folder / "src" / "2023" / "good.docx").write_bytes(b"PK\x03\x04 not really")
    run = build(capsys, jobs=1)
    assert "planc: src/2023/good.txt: same output out/2023/good.yaml as src/2023/good.docx" in (
        run.stderr.splitlines()
    )


@pytest.mark.parametrize("bad", [("nowhere",), ("src", "-j", "0"), ("src", "-f", "pdf")])
def test_bad_arguments_are_one_line_and_exit_2(folder: Path, bad: tuple[str, ...]) -> None:
    run = planc("build", *bad, "-o", "out", cwd=folder)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith("planc: ")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_build_leaves_whole_files_and_resumes(tmp_path: Path, jobs: str) -> None:
    total = 60
    (tmp_path / "src").mkdir()
    for index in range(total):
        (tmp_path / "src" / f"p{index:03}.txt").write_bytes(variant(index))
    out = tmp_path / "out"
    process = start_build(tmp_path, "src", "-o", "out", "-j", jobs)
    deadline = time.monotonic() + 60
    while not any(out.glob("*.yaml")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "planc: interrupted"
    assert "Traceback" not in stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    done = sorted(out.glob("*.yaml"))
    assert 0 < len(done) < total
    for path in done:
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["clauses"]  # whole, not cut
    resumed = planc("build", "src", "-o", "out", cwd=tmp_path)
    table = summary(resumed.stdout)
    assert table["plans"] == total and table["failures"] == 0
    assert f"{total - len(done)} compiled, {len(done)} unchanged" in resumed.stdout
