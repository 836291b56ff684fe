"""``planc build`` writes in batches and skips by status: what a rerun reads, imports and trusts.

Outputs are staged by the workers and put in place in batches, with one flush to disk for a
batch; a rerun trusts a file whose size, mtime, ctime and inode are all as recorded, and hashes
any other. These tests hold the guarantees that make that safe.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planc import build as build_module
from planc.build import MANIFEST, RECENT_NS, Job, _chunks, read_plan_bytes, run_build
from planc.emit import atomic
from planc.source import DEFAULT_MAX_BYTES
from tests.conftest import SAMPLES

LONG_AGO_NS = 1_600_000_000 * 10**9  # September 2020: older than any build in these tests


def plan(index: int, mark: str = "") -> bytes:
    """A sample plan with one front-matter line of its own, so that each copy differs."""
    sample = SAMPLES["nanyang" if index % 2 else "neimenggu"].read_text(encoding="utf-8")
    title, rest = sample.split("\n", 1)
    return f"{title}\n（{mark}第{index}份）\n{rest}".encode()


def write_old(path: Path, data: bytes) -> Path:
    """Write ``data`` and date the file long ago (its ctime stays now: only the kernel sets
    it, which is the point)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    return path


def build(tmp_path: Path, jobs: int = 1) -> None:
    """``planc build src -o out -jN`` in this process (the extractors stay warm)."""
    code = run_build(tmp_path / "src", tmp_path / "out", "yaml", jobs, False, DEFAULT_MAX_BYTES)
    assert code == 0


def headline(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out.splitlines()[0]


def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock moved on: every file written so far has settled (``RECENT_NS``)."""
    now = time.time_ns() + 2 * RECENT_NS
    monkeypatch.setattr(time, "time_ns", lambda: now)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    for index in range(6):
        write_old(tmp_path / "src" / f"y{index % 2}" / f"p{index}.txt", plan(index))
    return tmp_path


def snapshot(out: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """Every file under ``out``: its inode, mtime, ctime and bytes."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            info = path.stat()
            key = path.relative_to(out).as_posix()
            found[key] = (info.st_ino, info.st_mtime_ns, info.st_ctime_ns, path.read_bytes())
    return found


def test_a_rerun_with_nothing_to_do_touches_no_file_and_imports_no_compiler(plans: Path) -> None:
    """The whole command, as a process: the outputs and the manifest stay as they were, and
    neither the compiler, the parser, the model nor the YAML writer is imported."""
    planc = str(Path(sys.executable).with_name("planc"))
    first = subprocess.run([planc, "build", "src", "-o", "out"], cwd=plans, capture_output=True)
    assert first.returncode == 0, first.stderr
    before = snapshot(plans / "out")
    probe = (
        "import sys\nfrom planc.cli import main\nsys.argv = ['planc', 'build', 'src', '-o', 'out']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    again = subprocess.run([sys.executable, "-c", probe], cwd=plans, capture_output=True, text=True)
    assert "0 compiled, 6 unchanged, 0 failed" in again.stdout
    loaded = set(again.stderr.split())
    assert "planc.build" in loaded
    heavy = {"planc.compile", "planc.parse", "planc.model", "planc.emit.yamlwriter", "jieba"}
    assert not loaded & heavy, sorted(loaded & heavy)
    assert snapshot(plans / "out") == before


def test_the_build_module_itself_imports_neither_compiler_nor_pydantic(plans: Path) -> None:
    """``planc.build`` and a rerun through it: pydantic is for compiling, not for bookkeeping
    (the command line may import it for its own reasons)."""
    build(plans)
    probe = (
        "import sys\nfrom pathlib import Path\nfrom planc.build import build\n"
        "summary = build(Path('src'), Path('out'))\n"
        "print(summary.compiled, summary.unchanged)\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    rerun = subprocess.run([sys.executable, "-c", probe], cwd=plans, capture_output=True, text=True)
    assert rerun.stdout.split() == ["0", "6"], rerun.stderr
    loaded = set(rerun.stderr.split())
    assert not loaded & {"planc.compile", "planc.parse", "planc.model", "pydantic"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_outputs_are_flushed_in_batches_not_one_by_one(
    plans: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """One flush to disk covers a batch of outputs; no output is flushed by itself (the
    manifest, one file, still is)."""
    flushed: list[int] = []
    real_flush = atomic._flush

    def counting(temps: list[str]) -> OSError | None:
        assert all(Path(temp).is_file() for temp in temps)  # flushed before any rename
        flushed.append(len(temps))
        return real_flush(temps)

    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(atomic, "_flush", counting)

    def fsync(fd: int) -> None:
        fsyncs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    build(plans, jobs)
    assert sum(flushed) == 6
    assert len(flushed) < 6  # batches of 1, 2, 4, ...
    if sys.platform == "linux" and jobs == 1:
        assert len(fsyncs) == 1  # the manifest's own
    assert not list((plans / "out").rglob("*.tmp"))


def test_a_failed_flush_keeps_the_old_outputs_whole(
    plans: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build(plans)
    capsys.readouterr()
    before = snapshot(plans / "out")
    for index in range(6):
        write_old(plans / "src" / f"y{index % 2}" / f"p{index}.txt", plan(index, "新"))
    monkeypatch.setattr(atomic, "_flush", lambda temps: OSError(errno.EIO, "Input/output error"))
    code = run_build(plans / "src", plans / "out", "yaml", 1, False, DEFAULT_MAX_BYTES)
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 6 and all(
        line.endswith(": cannot write: Input/output error") for line in err
    )
    after = snapshot(plans / "out")
    assert {k: v for k, v in after.items() if k != MANIFEST} == {
        k: v for k, v in before.items() if k != MANIFEST
    }
    monkeypatch.undo()
    assert run_build(plans / "src", plans / "out", "yaml", 1, False, DEFAULT_MAX_BYTES) == 0
    assert "6 compiled, 0 unchanged" in headline(capsys)


def test_an_output_edited_in_place_with_its_mtime_put_back_is_compiled_again(
    plans: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same size, same mtime, same inode: the ctime, which no tool can set, still tells."""
    build(plans)
    output = plans / "out" / "y0" / "p0.yaml"
    original = output.read_bytes()
    info = output.stat()
    with output.open("r+b") as handle:  # in place: the inode stays
        handle.write(original.replace("第0份".encode(), "第9份".encode()))
    os.utime(output, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert output.stat().st_ino == info.st_ino and output.stat().st_size == info.st_size
    capsys.readouterr()
    build(plans)
    assert "1 compiled, 5 unchanged" in headline(capsys)
    assert output.read_bytes() == original


def test_a_source_edited_in_place_with_its_mtime_put_back_is_compiled_again(
    plans: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(plans)
    source = plans / "src" / "y1" / "p1.txt"
    with source.open("r+b") as handle:
        handle.write(plan(1).replace("第1份".encode(), "第7份".encode()))
    os.utime(source, ns=(LONG_AGO_NS, LONG_AGO_NS))
    capsys.readouterr()
    build(plans)
    assert "1 compiled, 5 unchanged" in headline(capsys)
    assert "第7份" in (plans / "out" / "y1" / "p1.yaml").read_text(encoding="utf-8")


def test_a_source_changed_just_now_is_hashed_until_it_settles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file may change twice within one tick of the file system's clock and keep its
    status: one changed within ``RECENT_NS`` is recorded by its hash alone."""
    source = tmp_path / "p.txt"
    source.write_bytes(plan(1))
    _, status = read_plan_bytes(str(source), DEFAULT_MAX_BYTES)
    assert set(status.values()) == {-1}
    later(monkeypatch)
    _, status = read_plan_bytes(str(source), DEFAULT_MAX_BYTES)
    info = source.stat()
    assert (status["size"], status["ino"]) == (len(plan(1)), info.st_ino)
    assert (status["mtime_ns"], status["ctime_ns"]) == (info.st_mtime_ns, info.st_ctime_ns)


def test_a_rerun_records_what_it_hashed_so_the_next_one_need_not(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A touched source is hashed once; its new status is recorded and trusted next time."""
    later(monkeypatch)
    build(plans)
    touched = plans / "src" / "y0" / "p2.txt"
    os.utime(touched, ns=(LONG_AGO_NS + 1, LONG_AGO_NS + 1))
    hashed: list[str] = []
    real_digest = build_module._file_digest

    def digest(path: str) -> str | None:
        hashed.append(path)
        return real_digest(path)

    monkeypatch.setattr(build_module, "_file_digest", digest)
    build(plans)
    assert hashed == [str(touched)]
    manifest = json.loads((plans / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["plans"]["y0/p2.yaml"]["mtime_ns"] == LONG_AGO_NS + 1
    hashed.clear()
    build(plans)
    assert hashed == []


def test_chunks_cover_every_plan_in_order_and_shrink_towards_the_end() -> None:
    jobs = [Job(f"p{i}.txt", f"p{i}.yaml", "yaml", 1) for i in range(1000)]
    chunks = list(_chunks(jobs, 2))
    assert [job for chunk in chunks for job in chunk] == jobs
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) == build_module.CHUNK_MAX
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1


def test_a_plan_built_from_the_current_folder_keeps_its_path_as_given(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``planc build . -o ../out``: each output names its plan ``y0/p0.txt``, not ``./y0/p0.txt``."""
    monkeypatch.chdir(plans / "src")
    assert run_build(Path("."), Path("../out"), "yaml", 1, False, DEFAULT_MAX_BYTES) == 0
    text = (plans / "out" / "y0" / "p0.yaml").read_text(encoding="utf-8")
    assert "  path: y0/p0.txt\n" in text
