"""Deadlines against the gold plans, one plan at a time, scored by ../shared/tools/score.py.

Scoring is per clause id, so a plan whose clause tree is still wrong cannot be judged here;
the plans listed are those the parser reads right, from five kinds of document.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest
import yaml

from planc.compile import compile_text
from tests.conftest import shared_path

PLANS = [
    "gov-2018-gov-website-consolidation-pilot",
    "gov-2019-drug-central-procurement-pilot",
    "gz-2012-livelihood-happiness-project-impl-opinion",
    "jiyuan-2023-market-confidence-measures",
    "nanyang-tcm-2023",
    "neimenggu-tcm-2023",
    "sh-fengxian-2023-eldercare-gas-safety-campaign",
    "sh-jingan-2023-urban-renewal-action-plan",
    "sh-jtw-2024-transport-refinement-3yr-plan",
]


def _scorer() -> ModuleType:
    path = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("planc_gold_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(slug: str) -> str:
    for folder in ("seeds", "corpus"):
        path = shared_path(folder) / f"{slug}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"{slug}.txt is not in ../shared")


@pytest.mark.parametrize("slug", PLANS)
def test_deadlines_of_a_gold_plan(slug: str) -> None:
    gold = yaml.safe_load(shared_path("gold", f"{slug}.yaml").read_text(encoding="utf-8"))
    plan = compile_text(_text(slug), f"{slug}.txt")
    result: dict[str, Any] = _scorer().score(gold, plan.model_dump(mode="json"))
    assert result["deadlines"].f1 >= 0.95, result["deadlines"].misses
