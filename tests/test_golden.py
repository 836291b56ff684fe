"""Golden files: real plan text in, the expected YAML out (reviewed by eye when it changes)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from planc.compile import compile_document
from planc.emit import to_yaml
from planc.read import read_path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def golden_cases() -> list[tuple[Path, Path]]:
    sources = sorted((ROOT / "sources").glob("*/*.txt"))
    return [(source, GOLDEN / f"{source.parent.name}-{source.stem}.yaml") for source in sources]


def render_case(source: Path) -> str:
    relative = source.relative_to(ROOT).as_posix()
    return to_yaml(compile_document(read_path(str(source)), path=relative))


@pytest.mark.parametrize(
    ("source", "expected"), golden_cases(), ids=lambda p: p.stem if isinstance(p, Path) else ""
)
def test_output_matches_golden_file(source: Path, expected: Path) -> None:
    assert expected.exists(), f"no golden file {expected.name}: run `make golden` and review it"
    got = render_case(source)
    want = expected.read_text(encoding="utf-8")
    if got != want:
        delta = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True), got.splitlines(keepends=True), "golden", "now", n=2
            )
        )
        pytest.fail(f"{source.name} compiles differently from {expected.name}:\n{delta[:6000]}")


def test_every_source_has_a_golden_file() -> None:
    names = {expected.name for _, expected in golden_cases()}
    stale = sorted(p.name for p in GOLDEN.glob("*.yaml") if p.name not in names)
    assert not stale, f"golden files without a source: {stale}"
    assert os.path.isdir(GOLDEN)
