"""Hostile and broken input: damaged files, failing disks, huge and pathological texts.

Each bad case must end in one line on stderr (``planc: PATH: what is wrong``), the right exit
code, no traceback, and no output file lost or half-written. Time bounds are generous margins
over what ``bench/bench_adversarial.py`` measures, so that only a real regression (quadratic
growth, regex backtracking) trips them.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from planc import build as build_module
from planc.build import run_build
from planc.cli import main
from planc.compile import compile_text
from planc.errors import PlancError
from planc.load import load_plan
from planc.source import DEFAULT_MAX_BYTES, read_source
from tests.conftest import SAMPLES, start_build

PLANC = str(Path(sys.executable).with_name("planc"))
SAMPLE = SAMPLES["nanyang"]


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the CLI's entry point in this process (so monkeypatches apply): code, out, err."""
    monkeypatch.setattr(sys, "argv", ["planc", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def one_line(err: str, path: Path | str, words: str) -> None:
    assert err.startswith(f"planc: {path}: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert words in err, err
    assert "Traceback" not in err


def docx_bytes(text: str = "一、总体要求\n（一）做好工作。") -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BROKEN: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "truncated-docx": ("plan.docx", lambda: docx_bytes()[:3000], "is not a readable .docx"),
    "docx-without-document": (
        "plan.docx",
        lambda: zip_bytes({"[Content_Types].xml": b"<Types/>"}),
        "is a zip archive, not a .docx",
    ),
    "empty-docx": ("plan.docx", lambda: docx_bytes(""), "has no text"),
    "pdf-named-txt": ("plan.txt", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF"),
    "old-word-doc": ("plan.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
    "rtf": ("plan.txt", lambda: b"{\\rtf1\\ansi \\u19968?\\u12289?}", "RTF"),
    "elf-binary": ("plan.txt", lambda: Path(sys.executable).read_bytes()[:65536], "binary"),
    "gzip": ("plan.txt", lambda: __import__("gzip").compress(SAMPLE.read_bytes()), "binary"),
    "nul-bytes": ("plan.txt", lambda: "一、工作\x00\x00".encode(), "binary"),
    "control-chars": ("plan.txt", lambda: bytes(range(1, 32)) * 40, "binary"),
    "lone-surrogate-utf16": (
        "plan.txt",
        lambda: b"\xff\xfe" + b"\x00\xd8a\x00",
        "cannot be decoded",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_files_are_one_line_and_exit_2(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, make, words = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(make())
    started = time.perf_counter()
    code, out, err = cli(monkeypatch, capsys, "parse", str(path))
    assert code == 2 and out == ""
    one_line(err, path, words)
    assert time.perf_counter() - started < 10


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .docx may unpack to 4 × --max-bytes; a 4 KB zip of 4 MB of spaces may not."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bytes({"word/document.xml": b" " * 4_000_001}))
    assert path.stat().st_size < 10_000
    code, _, err = cli(monkeypatch, capsys, "parse", str(path), "--max-bytes", "1000000")
    assert code == 2
    one_line(err, path, "unpacks to 4,000,001 bytes, over the 4,000,000-byte limit")
    path.write_bytes(docx_bytes())  # a real one, well within the same limit
    code, out, _ = cli(monkeypatch, capsys, "parse", str(path), "--max-bytes", "1000000")
    assert code == 0 and "总体要求" in out


def test_unreadable_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """chmod 000 does not stop root (the tests' usual user), so the refusal is simulated."""
    path = tmp_path / "secret.txt"
    path.write_bytes(SAMPLE.read_bytes())
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)
    code, _, err = cli(monkeypatch, capsys, "parse", str(path))
    assert code == 2
    one_line(err, path, "permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_chmod_000_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(SAMPLE.read_bytes())
    path.chmod(0)
    result = subprocess.run([PLANC, "parse", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    one_line(result.stderr, path, "permission denied")


def test_other_read_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.read_bytes())

    def failing(self: Path, *args: object, **kwargs: object) -> object:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "open", failing)
    with pytest.raises(PlancError, match="cannot read: Input/output error"):
        read_source(str(path))


def test_directory_and_missing_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(monkeypatch, capsys, "parse", str(tmp_path))
    assert code == 2
    one_line(err, tmp_path, "is a directory")
    deep = tmp_path / ("x" * 300) / "plan.txt"  # a name too long for the file system
    code, _, err = cli(monkeypatch, capsys, "parse", str(deep))
    assert code == 2
    one_line(err, deep, "")


def test_output_in_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "plan.yaml"
    code, _, err = cli(monkeypatch, capsys, "parse", str(SAMPLE), "-o", str(target))
    assert code == 2
    one_line(err, target.parent, "output folder does not exist")
    assert list(tmp_path.iterdir()) == []


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _erofs(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EROFS, "Read-only file system")


@pytest.mark.parametrize(
    ("target", "failure", "words"),
    [
        ("os.replace", _enospc, "No space left on device"),  # the rename
        ("os.fsync", _enospc, "No space left on device"),  # the data reaching the disk
        ("tempfile.mkstemp", _erofs, "Read-only file system"),  # the temporary file
    ],
    ids=["disk-full-at-rename", "disk-full-at-write", "read-only"],
)
def test_failed_write_keeps_the_previous_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    failure: Callable[..., None],
    words: str,
) -> None:
    out = tmp_path / "plan.yaml"
    out.write_text("previous output\n", encoding="utf-8")
    monkeypatch.setattr(target, failure)
    code, _, err = cli(monkeypatch, capsys, "parse", str(SAMPLE), "-o", str(out))
    assert code == 2
    one_line(err, out, words)
    assert out.read_text(encoding="utf-8") == "previous output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_output_keeps_its_mode_and_new_files_are_not_private(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    subprocess.run([PLANC, "parse", str(SAMPLE), "-o", str(out)], check=True)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would make it, not 0600
    out.chmod(0o640)
    subprocess.run([PLANC, "parse", str(SAMPLE), "-o", str(out)], check=True)
    assert out.stat().st_mode & 0o777 == 0o640


def test_max_bytes_refuses_larger_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    size = SAMPLE.stat().st_size
    code, out, err = cli(monkeypatch, capsys, "parse", str(SAMPLE), "--max-bytes", str(size - 1))
    assert code == 2 and out == ""
    one_line(err, SAMPLE, f"larger than the {size - 1:,}-byte limit (see --max-bytes)")
    code, out, _ = cli(monkeypatch, capsys, "parse", str(SAMPLE), "--max-bytes", str(size))
    assert code == 0 and out.startswith("planc_version:")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.read_bytes())))
    code, _, err = cli(monkeypatch, capsys, "parse", "-", "--max-bytes", "1000")
    assert code == 2
    one_line(err, "-", "larger than the 1,000-byte limit")


def test_default_limit_is_50_mb_and_refuses_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse file: 50 MB + 1 byte without writing them
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    started = time.perf_counter()
    result = subprocess.run([PLANC, "parse", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    one_line(result.stderr, path, "larger than the 52,428,800-byte limit")
    assert time.perf_counter() - started < 30


def test_an_absurd_date_of_issue_sets_no_plan_year() -> None:
    """九九九九年 once became the plan year, and 5年内 then overflowed the calendar."""
    plan = compile_text("某局\n九九九九年一月一日\n一、5年内完成。\n")
    assert (plan.meta.issued, plan.meta.year) == (None, None)
    plan = compile_text("某局\n二〇二三年四月十日\n一、5年内完成。\n")
    assert plan.meta.issued is not None and plan.meta.year == 2023


# Time bounds: generous margins over bench/bench_adversarial.py, so only regressions trip them.


def plan_text(size: int) -> str:
    base = "".join(path.read_text(encoding="utf-8") for path in SAMPLES.values())
    text = base * (size // len(base) + 1)
    return text[: text.rfind("\n", 0, size) + 1]


def seconds(text: str) -> float:
    started = time.perf_counter()
    compile_text(text)
    return time.perf_counter() - started


def test_compile_time_grows_linearly() -> None:
    small, large = plan_text(40_000), plan_text(400_000)
    per_char_small = min(seconds(small) for _ in range(3)) / len(small)
    per_char_large = seconds(large) / len(large)
    assert per_char_large < 4 * per_char_small  # quadratic growth would give 10×


def test_many_sibling_clauses_grow_linearly() -> None:
    """100,000 （一） once took minutes: each id was checked against all its siblings."""
    small = min(seconds("（一）\n" * 2_000) for _ in range(3))
    large = seconds("（一）\n" * 20_000)
    assert large < 4 * 10 * small
    assert large < 20


ADVERSARIAL = {
    "（一） repeated on one line": "（一）" * 100_000,
    "nested labels on one line": "一、（一）1.（1）①" * 30_000,
    "digits and % in a clause": "一、" + "1234567%" * 30_000,
    "no punctuation in a clause": "一、" + "中" * 300_000,
    "no punctuation in the front matter": "中" * 300_000 + "\n一、x\n",
    "spaces in a red-header line": "某" + " " * 300_000 + "某\n一、x\n",
    "spaces in a doc-number line": ("宛中发办" * 4 + " " * 1_000) * 300 + "\n一、x\n",
    "dashes": "-" * 1_000_000,
    "brackets": "一、" + "（" * 300_000,
    "dates": "一、" + "2023年" * 50_000,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_backtracking_bait_is_fast(name: str) -> None:
    text = ADVERSARIAL[name]
    megabytes = len(text.encode("utf-8")) / 1e6
    # The bench measures well under 1 s per MB; the margin allows for a busy shared machine.
    assert seconds(text) < 2 + 10 * megabytes


# planc build: files that vanish mid-build and Ctrl-C with old outputs in place.


def edition(index: int, mark: str) -> bytes:
    """A sample plan with a marker line in its front matter, so editions differ."""
    title, rest = SAMPLE.read_text(encoding="utf-8").split("\n", 1)
    return f"{title}\n（{mark}第{index}份）\n{rest}".encode()


def test_a_plan_that_vanishes_mid_build_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for index in range(3):
        (src / f"p{index}.txt").write_bytes(edition(index, "甲"))
    real_read = build_module.read_plan_bytes

    def vanishing(path: str, max_bytes: int) -> tuple[bytes, dict[str, int]]:
        if path.endswith("p1.txt"):
            Path(path).unlink()  # listed, then gone before it is read
        return real_read(path, max_bytes)

    monkeypatch.setattr(build_module, "read_plan_bytes", vanishing)
    code = run_build(src, tmp_path / "out", "yaml", 1, False, DEFAULT_MAX_BYTES)
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"planc: {src / 'p1.txt'}: no such file\n"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.yaml")) == ["p0.yaml", "p2.yaml"]


def test_a_plan_that_vanishes_after_listing_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for index in range(2):
        (src / f"p{index}.txt").write_bytes(edition(index, "甲"))
    real_find = build_module.find_plans

    def listed_then_deleted(
        sources: Path, skip: Path | None = None, warnings: list[str] | None = None
    ) -> list[str]:
        found = real_find(sources, skip, warnings)
        (src / "p0.txt").unlink()
        return found

    monkeypatch.setattr(build_module, "find_plans", listed_then_deleted)
    code = run_build(src, tmp_path / "out", "yaml", 1, False, DEFAULT_MAX_BYTES)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"planc: {src / 'p0.txt'}: ") and err.count("\n") == 1
    assert [p.name for p in (tmp_path / "out").glob("*.yaml")] == ["p1.yaml"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_rebuild_leaves_each_output_old_or_new(tmp_path: Path, jobs: str) -> None:
    total = 40
    src, out, new = tmp_path / "src", tmp_path / "out", tmp_path / "new"
    src.mkdir()
    for index in range(total):
        (src / f"p{index:02}.txt").write_bytes(edition(index, "旧"))
    subprocess.run(
        [PLANC, "build", "src", "-o", "out"], cwd=tmp_path, check=True, capture_output=True
    )
    old = {p.name: p.read_bytes() for p in out.glob("*.yaml")}
    for index in range(total):
        (src / f"p{index:02}.txt").write_bytes(edition(index, "新"))
    subprocess.run(
        [PLANC, "build", "src", "-o", "new"], cwd=tmp_path, check=True, capture_output=True
    )
    fresh = {p.name: p.read_bytes() for p in new.glob("*.yaml")}
    assert len(old) == len(fresh) == total and old != fresh

    process = start_build(tmp_path, "src", "-o", "out", "-j", jobs)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # Ctrl-C as soon as the first new output lands
        if any((out / name).read_bytes() == data for name, data in fresh.items()):
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode in (0, 130), stderr  # 0 only if it finished first
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".planc")) == sorted(old)
    changed = 0
    for name in old:
        data = (out / name).read_bytes()
        assert data in (old[name], fresh[name]), name  # whole: the old file or the new one
        changed += data == fresh[name]
        load_plan(out / name)  # and a valid plan either way
    assert changed >= 1
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_build_into_a_read_only_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tempfile.mkstemp", _erofs)
    code, _, err = cli(monkeypatch, capsys, "build", "src", "-o", "out", "-j", "1")
    assert code == 1  # the plan and the manifest failed; both are reported
    assert "a.yaml: cannot write: Read-only file system" in err
    assert ".planc-build.json: cannot write: Read-only file system" in err
    assert all(line.startswith("planc: ") for line in err.splitlines())
    assert "Traceback" not in err
    assert list((tmp_path / "out").iterdir()) == []


def test_interrupted_parse_keeps_the_previous_output(tmp_path: Path) -> None:
    source, out = tmp_path / "big.txt", tmp_path / "big.yaml"
    source.write_text(plan_text(3_000_000), encoding="utf-8")  # a few seconds of work
    out.write_text("previous output\n", encoding="utf-8")
    process = subprocess.Popen(
        [PLANC, "parse", str(source), "-o", str(out), "--max-clauses", "100000"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.5)  # past the imports: typer turns a Ctrl-C there into a silent exit 130
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:  # finished first, on a very fast machine: whole and new
        load_plan(out)
    else:
        assert (process.returncode, err) == (130, "planc: interrupted\n")
        assert out.read_text(encoding="utf-8") == "previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "big.yaml"]
