"""What ``planc check`` and ``planc rules`` do, apart from argument wiring."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from planc.check import SEVERITIES, Finding, Rule, Severity, all_rules, check_plan
from planc.check.config import Config, load_config
from planc.check.report import FORMATS, FORMATTERS, sarif_rule, text
from planc.emit import write_atomic
from planc.errors import PlancError
from planc.source import DEFAULT_MAX_BYTES, read_source


def run_check(
    files: list[str],
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fmt: str = "text",
    fail_on: str | None = None,
    output: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> int:
    """Check each file; 0 clean, 1 findings at or above fail-on, 2 bad input."""
    from planc.compile import compile_document

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    configs: dict[Path, Config] = {}
    findings: list[Finding] = []
    ran: dict[str, type[Rule]] = {}
    failing = bad_input = False
    checked = 0
    for path in files:
        folder = Path.cwd() if path == "-" else Path(path).resolve().parent
        if folder not in configs:
            configs[folder] = load_config(folder).with_options(select, ignore, fail_on)
        config = configs[folder]
        try:
            source = read_source(path, max_bytes)
        except PlancError as error:
            print(f"planc: {error}", file=sys.stderr)
            bad_input = True
            continue
        plan = compile_document(source.document, path=path)
        rules = config.rules_for(path)
        ran.update((rule.id, rule) for rule in rules)
        found = check_plan(plan, source.text, rules, config.severities())
        findings.extend(found)
        checked += 1
        failing = failing or any(_at_or_above(f.severity, config.fail_on) for f in found)
    if fmt == "text":
        colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report = text(findings, list(ran.values()), colour)
    else:
        report = FORMATTERS[fmt](findings, list(ran.values()))
    if output is not None:
        write_atomic(output, report)
    else:
        sys.stdout.write(report)
    if fmt == "text" and checked:
        print(summary(findings, checked), file=sys.stderr)
    return 2 if bad_input else 1 if failing else 0


def _at_or_above(severity: Severity, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return SEVERITIES.index(severity) <= SEVERITIES.index(fail_on)


def summary(findings: list[Finding], files: int) -> str:
    """``planc check: 2 errors, 1 warning in 2 files`` (or ``no findings``)."""
    counts = Counter(f.severity for f in findings)
    where = f"{files} file" + ("s" if files != 1 else "")
    if not counts:
        return f"planc check: no findings in {where}"
    parts = [f"{counts[s]} {s}" + ("s" if counts[s] != 1 else "") for s in SEVERITIES if counts[s]]
    return f"planc check: {', '.join(parts)} in {where}"


def list_rules(codes: list[str] | None = None, fmt: str = "text") -> int:
    """Print every rule (or those named) with its explanation and examples."""
    rules = all_rules()
    if codes:
        wanted = [code.upper() for code in codes]
        rules = [r for r in rules if any(r.id.startswith(c) or r.name == c.lower() for c in wanted)]
        if not rules:
            raise PlancError(f"no rule matches {', '.join(codes)}")
    if fmt == "json":
        sys.stdout.write(json.dumps([sarif_rule(r) for r in rules], ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
        return 0
    if fmt != "text":
        raise PlancError(f"unknown format {fmt!r} (choose from text, json)")
    blocks = []
    for rule in rules:
        default = "" if rule.default_enabled else ", off by default"
        body = rule.explanation().replace("``", "").split("\n", 1)
        more = body[1].strip() if len(body) > 1 else ""
        block = [f"{rule.id} {rule.name} ({rule.severity}{default})", f"  {body[0]}"]
        if more:
            block += ["", *(f"  {line}" if line else "" for line in more.splitlines())]
        block += ["", "  fails:", *_indent(rule.bad), "  passes:", *_indent(rule.good)]
        blocks.append("\n".join(block))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0


def _indent(example: str) -> list[str]:
    return [f"    {line}" for line in example.rstrip("\n").splitlines()]
