"""A fresh machine, any platform: writes that work without os.fchmod, no stray files, -m planc."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES, SOURCES

# Run planc as Windows Python before 3.13 would: the os module has no fchmod.
_WITHOUT_FCHMOD = (
    "import os, sys\n"
    "if hasattr(os, 'fchmod'): del os.fchmod\n"
    "from planc.cli import main\n"
    "sys.argv = ['planc', *sys.argv[1:]]\n"
    "main()\n"
)


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_python_m_planc_prints_the_version() -> None:
    result = run("-m", "planc", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("planc ")


def test_writes_work_where_os_has_no_fchmod(tmp_path: Path) -> None:
    output = tmp_path / "nanyang.yaml"
    result = run("-c", _WITHOUT_FCHMOD, "parse", str(SAMPLES["nanyang"]), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "title: 2023年南阳市中医药工作要点" in output.read_text(encoding="utf-8")
    assert output.stat().st_mode & 0o777 == 0o666 & ~_umask()

    built = tmp_path / "out"
    result = run("-c", _WITHOUT_FCHMOD, "build", str(SOURCES), "-o", str(built))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in built.rglob("*.yaml")) == [
        "nanyang-tcm-2023.yaml",
        "nanyang-tcm-2024.yaml",
        "neimenggu-tcm-2023.yaml",
        "neimenggu-tcm-2024.yaml",
    ]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_parse_build_and_diff_write_only_their_outputs(tmp_path: Path) -> None:
    """With TMPDIR and HOME empty, nothing appears but the outputs."""
    home, temp, work = tmp_path / "home", tmp_path / "tmp", tmp_path / "work"
    for folder in (home, temp, work):
        folder.mkdir()
    shutil.copytree(SOURCES, work / "sources")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), TMPDIR=str(temp), TMP=str(temp), TEMP=str(temp))
    old = work / "sources" / "2023" / "nanyang-tcm-2023.txt"
    new = work / "sources" / "2024" / "nanyang-tcm-2024.txt"
    before = _files_under(work)
    for args in (
        ("parse", str(old), "-o", "parsed.yaml"),
        ("parse", str(new), "--format", "json"),
        ("build", "sources", "-o", "out"),
        ("diff", str(old), str(new), "-o", "changes.md"),
    ):
        result = run("-m", "planc", *args, env=env, cwd=work)
        assert result.returncode in (0, 1), (args, result.stderr)

    assert _files_under(temp) == set()
    assert _files_under(home) == set()  # planc keeps no file for itself
    made = _files_under(work) - before
    assert {p for p in made if not p.startswith("out/")} == {"parsed.yaml", "changes.md"}
    assert {"out/2023/nanyang-tcm-2023.yaml", "out/2024/neimenggu-tcm-2024.yaml"} <= made
