"""Formatters: findings as text, JSON, GitHub workflow commands or SARIF 2.1.0.

Each takes the findings of every file and returns the whole output as a string; the
rules are passed too, because SARIF describes every rule that ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from urllib.parse import quote

from planc import __version__
from planc.check import Finding, Rule

FORMATS = ("text", "json", "github", "sarif")
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def text(findings: Sequence[Finding], rules: Sequence[type[Rule]], colour: bool = False) -> str:
    """``path:line:col: PC101 message``, one finding a line, as compilers print errors."""
    if not colour:
        return "".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}\n" for f in findings)
    from rich.console import Console  # only for a terminal
    from rich.text import Text

    console = Console(force_terminal=True, highlight=False, soft_wrap=True)
    style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    with console.capture() as capture:
        for f in findings:
            line = Text()
            line.append(f"{f.path}:{f.line}:{f.column}:", style="bold")
            line.append(f" {f.rule}", style=style[f.severity])
            line.append(f" {f.message}")
            console.print(line)
    return capture.get()


def json_report(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """A JSON array of findings, with every field."""
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2) + "\n"


def _property(value: str) -> str:
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """Workflow commands that annotate the pull request, one a line."""
    out = []
    for f in findings:
        props = ",".join(
            f"{key}={_property(str(value))}"
            for key, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("endLine", f.end_line),
                ("endColumn", f.end_column),
                ("title", f"{f.rule} {f.name}"),
            )
        )
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_data(f.message)}\n")
    return "".join(out)


def sarif_rule(rule: type[Rule]) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.explanation()},
        "help": {
            "text": f"{rule.explanation()}\n\nFails:\n{rule.bad}\nPasses:\n{rule.good}",
        },
        "defaultConfiguration": {
            "level": _SARIF_LEVEL[rule.severity],
            "enabled": rule.default_enabled,
        },
        "properties": {"tags": [rule.family()]},
    }


def sarif(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """One SARIF 2.1.0 run for code scanning; columns count Unicode code points."""
    described = sorted({r.id: r for r in rules}.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(described)}
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.path.replace("\\", "/"))},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
        }
        for f in findings
        if f.rule in index
    ]
    log = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "planc",
                        "version": __version__,
                        "rules": [sarif_rule(rule) for rule in described],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Finding], Sequence[type[Rule]]], str]] = {
    "text": text,
    "json": json_report,
    "github": github,
    "sarif": sarif,
}
