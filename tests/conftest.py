"""Shared fixtures: the bundled sample plans and the ../shared material beside the project."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from planc import limits

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
SHARED = ROOT.parent / "shared"
SAMPLES = {
    "nanyang": SOURCES / "2023" / "nanyang-tcm-2023.txt",
    "neimenggu": SOURCES / "2023" / "neimenggu-tcm-2023.txt",
}

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def shared_path(*parts: str) -> Path:
    """A file in ../shared; skip the test, saying what is missing, when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared folder beside the project)")
    return path


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8") for name, path in SAMPLES.items()}


def start_build(cwd: Path, *args: str) -> subprocess.Popen[str]:
    """``planc build`` as a child process that a test can interrupt with SIGINT."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("planc")), "build", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell may start background jobs with SIGINT ignored; planc must see it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.fixture(autouse=True)
def _no_caps_left_over() -> Iterator[None]:
    """A command run in-process installs its caps (``planc.limits``): the next test has none."""
    yield
    limits.reset()


def modules_loaded(program: str, *prefixes: str) -> list[str]:
    """The modules named ``prefix…`` that ``program`` leaves loaded, run in a fresh interpreter
    (what a command imports is a behaviour: start-up time is most of a small run)."""
    report = f"\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    done = subprocess.run([sys.executable, "-c", program + report], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return loaded
