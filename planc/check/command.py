"""What ``planc check`` and ``planc rules`` do, apart from argument wiring."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from planc.check import SEVERITIES, Finding, Rule, Severity, all_rules, check_plan
from planc.check.config import Config, load_config
from planc.check.report import FORMATS, FORMATTERS, LETTER, sarif_rule, text
from planc.emit import write_atomic
from planc.errors import PlancError
from planc.paths import expand_paths
from planc.source import DEFAULT_MAX_BYTES, read_source


@dataclass
class CheckOptions:
    """Everything ``planc check`` is told, apart from the files."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    fmt: str = "text"
    fail_on: str | None = None
    output: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    config: Path | None = None
    quiet: bool = False
    statistics: bool = False
    stdin_filename: str | None = None
    baseline: Path | None = None
    fix: bool = False
    diff: bool = False


@dataclass
class _Checked:
    """One file as checked: what ``--fix`` and ``--diff`` need besides the findings."""

    path: str  # as read: a file, or - for standard input
    text: str
    encoding: str
    findings: list[Finding] = field(default_factory=list)
    fail_on: str = "error"
    format: str = "txt"  # as read: only a text file's text is its bytes, so only it is fixed


def run_check(files: list[str], options: CheckOptions | None = None) -> int:
    """Check each file; 0 clean, 1 findings at or above fail-on, 2 bad input."""
    from planc.compile import compile_document

    options = options or CheckOptions()
    fmt = options.fmt.lower()
    if fmt not in FORMATS:
        raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    configs: dict[Path, Config] = {}
    checked: list[_Checked] = []
    ran: dict[str, type[Rule]] = {}
    bad_input = False
    paths, missing = expand_paths(files)
    for message in missing:
        print(f"planc: {message}", file=sys.stderr)
        bad_input = True
    for path in paths:
        shown = options.stdin_filename if path == "-" and options.stdin_filename else path
        folder = Path.cwd() if shown == "-" else Path(shown).resolve().parent
        if folder not in configs:
            configs[folder] = load_config(folder, options.config).with_options(
                options.select, options.ignore, options.fail_on
            )
        config = configs[folder]
        try:
            source = read_source(path, options.max_bytes)
        except PlancError as error:
            print(f"planc: {error}", file=sys.stderr)
            bad_input = True
            continue
        plan = compile_document(source.document, path=shown)
        rules = config.rules_for(shown)
        ran.update((rule.id, rule) for rule in rules)
        found = check_plan(plan, source.text, rules, config.severities())
        checked.append(
            _Checked(path, source.text, source.encoding, found, config.fail_on, source.format)
        )

    if options.fix or options.diff:
        from planc.check.fix import apply_fixes

        fixed, bad = apply_fixes(checked, write=options.fix, show_diff=options.diff)
        bad_input = bad_input or bad
        if options.diff:
            return 2 if bad_input else 1 if fixed else 0
        for item in checked:
            item.findings = [f for f in item.findings if not (f.fixes and item.path in fixed)]

    findings = [f for item in checked for f in item.findings]
    if options.baseline is not None:
        from planc.check.baseline import apply_baseline

        findings, recorded = apply_baseline(options.baseline, findings)
        if recorded is not None:
            print(
                f"planc check: recorded {recorded} findings in {options.baseline}", file=sys.stderr
            )
            return 2 if bad_input else 0

    fail_on = {f.path: item.fail_on for item in checked for f in item.findings}
    failing = any(_at_or_above(f.severity, fail_on[f.path]) for f in findings)
    if options.statistics:
        report = statistics(findings)
    elif fmt == "text":
        colour = options.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report = text(findings, list(ran.values()), colour)
    else:
        report = FORMATTERS[fmt](findings, list(ran.values()))
    if options.output is not None:
        write_atomic(options.output, report)
    else:
        sys.stdout.write(report)
    if fmt == "text" and checked and not options.quiet:
        print(summary(findings, len(checked)), file=sys.stderr)
    return 2 if bad_input else 1 if failing else 0


def statistics(findings: list[Finding]) -> str:
    """``  12  E PC302 repeated-word``: how often each rule fired, most frequent first."""
    counts = Counter((f.rule, f.severity, f.name) for f in findings)
    width = len(str(max(counts.values()))) if counts else 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return "".join(
        f"{count:>{width}}\t{LETTER[severity]} {rule}\t{name}\n"
        for (rule, severity, name), count in rows
    )


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
    parts = [
        f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s != "info" else "")
        for s in SEVERITIES
        if counts[s]
    ]
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
