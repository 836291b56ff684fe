"""``planc check``: lint a compiled plan the way ruff lints code.

A rule is a class with a stable id (``PC101``), a name (``numbering-gap``), a default
severity and its own documentation: the docstring explains it, ``bad`` and ``good`` show a
failing and a passing example. Rules read the ``Plan``; they return ``Problem``s located by
offsets into the original text, and the runner turns those into ``Finding``s with 1-based
line and column. Formatters live in ``planc.check.report``, configuration in
``planc.check.config``; this module knows neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal

from planc.check.document import Document
from planc.model import Plan

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")  # most severe first
FAMILIES = {"1": "numbering", "2": "commitments", "3": "text", "4": "metadata"}


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical correction: replace ``[start, end)`` of the original with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule reports: ``[start, end)`` in the original text and a message.

    ``severity`` overrides the rule's default for this one problem (a rule may know that in a
    yearly plan a missing deadline only means the year end); configuration overrides both.
    """

    start: int
    end: int
    message: str
    fixes: tuple[Fix, ...] = ()  # edits that correct it, applied together by --fix
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem placed in a file: what every formatter prints."""

    path: str
    rule: str
    name: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str = ""  # rule and content, not position: what a baseline matches on
    fixes: tuple[Fix, ...] = ()


class Rule:
    """Base class of every rule; subclasses set the class attributes and ``check``."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "warning"
    default_enabled: ClassVar[bool] = True
    needs_extraction: ClassVar[bool] = False  # reads deadlines, targets or owners
    bad: ClassVar[str]  # a plan snippet the rule reports
    good: ClassVar[str]  # the same snippet, corrected

    def check(self, doc: Document) -> Iterator[Problem]:
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def explanation(cls) -> str:
        """The whole docstring, dedented."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def family(cls) -> str:
        return FAMILIES.get(cls.id[2], "other")


REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry, refusing a taken id or name."""
    taken = {r.name: r.id for r in REGISTRY.values()}
    if rule.id in REGISTRY or rule.name in taken:
        raise ValueError(f"rule {rule.id} {rule.name} registered twice")
    REGISTRY[rule.id] = rule
    return rule


def all_rules() -> list[type[Rule]]:
    """Every rule, in id order."""
    import planc.check.rules  # noqa: F401  (registers the rules on import)

    return [REGISTRY[key] for key in sorted(REGISTRY)]


def check_plan(
    plan: Plan,
    text: str,
    rules: Iterable[type[Rule]] | None = None,
    severities: dict[str, Severity] | None = None,
) -> list[Finding]:
    """Run ``rules`` (default: those enabled by default) on ``plan`` compiled from ``text``."""
    chosen = list(rules) if rules is not None else [r for r in all_rules() if r.default_enabled]
    severities = severities or {}
    doc = Document(plan, text)
    findings: list[Finding] = []
    for rule in chosen:
        for problem in rule().check(doc):
            if rule.family() == "text" and problem.start < doc.header_end:
                continue  # a repository's header block is not prose
            line, column = doc.position(problem.start)
            end_line, end_column = doc.position(max(problem.end, problem.start))
            findings.append(
                Finding(
                    path=plan.source.path,
                    rule=rule.id,
                    name=rule.name,
                    severity=severities.get(rule.id, problem.severity or rule.severity),
                    message=problem.message,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    fingerprint=_fingerprint(doc, rule.id, problem),
                    fixes=problem.fixes,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def _fingerprint(doc: Document, rule: str, problem: Problem) -> str:
    """The rule, what the finding marks and the clause it stands in, without positions.

    A finding keeps its fingerprint when lines are added above it or its clause is
    renumbered, and loses it when the text around it changes: what a baseline should do.
    """
    import hashlib

    marked = doc.text[problem.start : problem.end]
    context = doc.context_of(problem.start)
    digest = hashlib.sha256(f"{rule}\0{marked}\0{context}".encode("utf-8", "replace"))
    return digest.hexdigest()[:20]


def check_text(
    text: str,
    path: str = "<string>",
    rules: Iterable[type[Rule]] | None = None,
    severities: dict[str, Severity] | None = None,
) -> list[Finding]:
    """Compile ``text`` and check it: the pure core that tests and ``planc check`` share."""
    from planc.compile import compile_text

    return check_plan(compile_text(text, path), text, rules, severities)
