"""The pre-commit hook as a drafts repository uses it: plans are linted, other .txt files not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES


def _pre_commit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("needs pre-commit (make test installs it)")
    return [sys.executable, "-m", "pre_commit"]


def test_try_repo_lints_plans_and_leaves_requirements_alone(tmp_path: Path) -> None:
    command = _pre_commit()
    drafts = tmp_path / "drafts-repo"
    (drafts / "plans").mkdir(parents=True)
    shutil.copy(SAMPLES["neimenggu"], drafts / "plans" / "neimenggu-tcm-2023.txt")
    (drafts / "requirements.txt").write_text("pytest>=8\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t")
    env.update(GIT_COMMITTER_EMAIL="t@t")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=drafts, check=True, env=env)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "try-repo", str(ROOT), "planc-check", "--files", *files],
            cwd=drafts,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    plan = try_repo("plans/neimenggu-tcm-2023.txt")
    assert plan.returncode == 1, plan.stdout + plan.stderr
    assert "plans/neimenggu-tcm-2023.txt:73:35: E PC302 stray '大'" in plan.stdout

    requirements = try_repo("requirements.txt")
    assert requirements.returncode == 0, requirements.stdout + requirements.stderr
    assert "(no files to check)Skipped" in requirements.stdout
