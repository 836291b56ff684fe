"""Rewrite tests/golden/*.yaml from the current compiler: run after a reviewed change of output.

make golden && git diff tests/golden    # read every changed line before committing
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_golden import GOLDEN, golden_cases, render_case  # noqa: E402


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for source, expected in golden_cases():
        expected.write_text(render_case(source), encoding="utf-8")
        print(f"wrote {expected.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
