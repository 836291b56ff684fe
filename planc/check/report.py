"""Formatters: findings as text, JSON, GitHub workflow commands, GitLab Code Quality, JUnit
XML or SARIF 2.1.0.

Each takes the findings of every file and returns the whole output as a string; the
rules are passed too, because SARIF describes every rule that ran.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from urllib.parse import quote

from planc import __version__
from planc.check import Finding, Rule

FORMATS = ("text", "json", "github", "gitlab", "junit", "sarif")
LETTER = {"error": "E", "warning": "W", "info": "I"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def text(findings: Sequence[Finding], rules: Sequence[type[Rule]], colour: bool = False) -> str:
    """``path:line:col: E PC101 message``, one finding a line, as compilers print errors: the
    severity letter (E, W, I) reads in a log without colour."""
    if not colour:
        return "".join(
            f"{f.path}:{f.line}:{f.column}: {LETTER[f.severity]} {f.rule} {f.message}\n"
            for f in findings
        )
    from rich.console import Console  # only for a terminal
    from rich.text import Text

    console = Console(force_terminal=True, highlight=False, soft_wrap=True)
    style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    with console.capture() as capture:
        for f in findings:
            line = Text()
            line.append(f"{f.path}:{f.line}:{f.column}:", style="bold")
            line.append(f" {LETTER[f.severity]} {f.rule}", style=style[f.severity])
            line.append(f" {f.message}")
            console.print(line)
    return capture.get()


def json_report(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """A JSON array of findings, with every field."""
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2) + "\n"


_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def gitlab(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """GitLab's Code Quality report (also read by Gitee): a JSON array of issues.

    The fingerprint must stay the same while an issue stands, so it is the finding's own
    (rule and content, not line), made unique among repeats in one file.
    """
    seen: dict[str, int] = {}
    issues = []
    for f in findings:
        key = f"{f.path}\0{f.fingerprint}"
        seen[key] = seen.get(key, 0) + 1
        issues.append(
            {
                "type": "issue",
                "check_name": f"{f.rule} {f.name}",
                "description": f"{f.rule} {f.message}",
                "categories": ["Style"],
                "severity": _GITLAB_SEVERITY[f.severity],
                "fingerprint": _digest(f"{key}\0{seen[key]}"),
                "location": {
                    "path": f.path,
                    "positions": {
                        "begin": {"line": f.line, "column": f.column},
                        "end": {"line": f.end_line, "column": f.end_column},
                    },
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _digest(value: str) -> str:
    import hashlib

    return hashlib.md5(value.encode("utf-8", "replace"), usedforsecurity=False).hexdigest()


def junit(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    """JUnit XML, as CI servers show test results: a test suite per file, a failing test case
    per finding (an error as an error, a warning or information as a failure)."""
    from xml.sax.saxutils import quoteattr

    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        f'<testsuites name="planc check" tests="{len(findings)}" failures="{len(findings)}">'
    )
    for path, found in by_path.items():
        errors = sum(f.severity == "error" for f in found)
        out.append(
            f'  <testsuite name={quoteattr(_xml_clean(path))} tests="{len(found)}" '
            f'errors="{errors}" failures="{len(found) - errors}">'
        )
        for f in found:
            where = f"{f.path}:{f.line}:{f.column}"
            tag = "error" if f.severity == "error" else "failure"
            out.append(
                f"    <testcase name={quoteattr(_xml_clean(f'{f.rule} {where}'))} "
                f'classname={quoteattr(f.name)} file={quoteattr(_xml_clean(f.path))} line="{f.line}">'
            )
            out.append(
                f"      <{tag} message={quoteattr(_xml_clean(f.message))} type={quoteattr(f.rule)}>"
                f"{_xml_text(f'{where}: {LETTER[f.severity]} {f.rule} {f.message}')}</{tag}>"
            )
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_xml_clean(value))


def _xml_clean(value: str) -> str:
    """Characters XML 1.0 cannot carry (control characters, lone surrogates) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


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
    "gitlab": gitlab,
    "junit": junit,
    "sarif": sarif,
}
