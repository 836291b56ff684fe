"""A ``DiffReport`` for people: a terminal view and a Markdown 新旧对照表.

The terminal view is built as styled runs; on a terminal rich colours them, elsewhere deletions
and insertions are marked ``[-…-]`` and ``{+…+}`` (as ``git diff --word-diff`` does), so output
piped to a file or a pager stays readable.
"""

from __future__ import annotations

from planc.diff.model import ClauseChange, DiffReport, FieldChange, PlanDiff, Segment

Run = tuple[str, str | None]  # text and a style name
_CONTEXT = 12  # characters of unchanged text kept around a change in the terminal view
_MAX_HUNKS = 6  # more changed places than this: the text was rewritten, say so instead
_MAX_CHANGE = 80  # characters of one inserted or deleted run shown in the terminal view
_STYLES = {
    "del": "red strike",
    "add": "green bold",
    "changed": "yellow",
    "renumbered": "cyan",
    "moved": "cyan",
    "added": "green",
    "removed": "red",
    "split": "magenta",
    "merged": "magenta",
    "unchanged": "dim",
    "title": "bold",
    "dim": "dim",
}
_KINDS_ZH = {"unchanged": "未变", "changed": "修改", "renumbered": "重新编号", "moved": "移动",
             "added": "新增", "removed": "删除", "split": "拆分", "merged": "合并"}  # fmt: skip
_FIELDS_ZH = {"target": "目标", "deadline": "时限", "owner": "责任单位"}
_FIELD_KINDS_ZH = {"raised": "提高", "lowered": "降低", "earlier": "提前", "later": "推迟",
                   "changed": "变更", "added": "新增", "dropped": "取消"}  # fmt: skip


def terminal_lines(report: DiffReport, show_all: bool) -> list[list[Run]]:
    lines: list[list[Run]] = []
    for pair in report.pairs:
        lines += _pair_lines(pair, show_all)
        lines.append([])
    for path in report.only_old:
        lines.append([("only in old: ", "removed"), (path, None)])
    for path in report.only_new:
        lines.append([("only in new: ", "added"), (path, None)])
    if not report.pairs and not report.only_old and not report.only_new:
        lines.append([("no plans to compare", "dim")])
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _pair_lines(pair: PlanDiff, show_all: bool) -> list[list[Run]]:
    lines: list[list[Run]] = [[(f"{pair.old} → {pair.new}", "title")]]
    if pair.old_title or pair.new_title:
        lines.append(
            [(f"  {pair.old_title or '(no title)'} → {pair.new_title or '(no title)'}", None)]
        )
    counts = pair.summary.model_dump()
    summary = " · ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    lines.append([("  " + ("same: " if pair.same else "") + summary, "dim")])
    for change in pair.clauses:
        if change.kind == "unchanged" and not show_all:
            continue
        lines += _change_lines(change)
    return lines


def _ids(change: ClauseChange) -> str:
    old, new = " + ".join(change.old_ids), " + ".join(change.new_ids)
    if not old or not new:
        return old or new
    return new if old == new else f"{old} → {new}"


def _change_lines(change: ClauseChange) -> list[list[Run]]:
    heading = change.new_heading if change.new_heading is not None else change.old_heading
    first: list[Run] = [
        (f"  {change.kind:<10} ", change.kind),
        (f"{_ids(change)}  ", None),
        (heading or "", None),
    ]
    if change.kind == "moved":
        first.append(
            (f"  (under {change.old_parent or 'top'} → {change.new_parent or 'top'})", "dim")
        )
    lines = [first]
    if change.heading_diff:
        lines.append([("      heading  ", "dim"), *_segment_runs(change.heading_diff, None)])
    for item in change.fields:
        lines.append([("      ", None), *_field_runs(item)])
    if change.reworded and change.kind not in ("added", "removed"):
        lines += _text_lines(change.text_diff)
    return lines


def _text_lines(segments: list[Segment]) -> list[list[Run]]:
    """A few changed places in context; a rewritten text only says how much of it changed."""
    deleted = sum(len(s.text) for s in segments if s.op == "-")
    inserted = sum(len(s.text) for s in segments if s.op == "+")
    kept = sum(len(s.text) for s in segments if s.op == "=")
    hunks = _hunks(segments)
    if len(hunks) > _MAX_HUNKS or deleted + inserted > kept:
        summary = f"rewritten: {deleted} characters out, {inserted} in, {kept} kept"
        return [[("      text  ", "dim"), (summary, None)]]
    return [[("      text  ", "dim"), *hunk] for hunk in hunks]


def _field_runs(item: FieldChange) -> list[Run]:
    runs: list[Run] = [(f"{item.field} {item.kind}  ", "changed")]
    if item.old is not None:
        runs.append((item.old, "del" if item.new is None else None))
    if item.old is not None and item.new is not None:
        runs.append((" → ", "dim"))
    if item.new is not None:
        runs.append((item.new, "add" if item.old is None else None))
    if item.detail:
        runs.append((f"  ({item.detail})", "dim"))
    return runs


def _segment_runs(segments: list[Segment], context: int | None) -> list[Run]:
    runs: list[Run] = []
    for k, segment in enumerate(segments):
        text = segment.text.replace("\n", " ")
        if segment.op == "=":
            if context is not None and len(text) > context:
                head = k > 0
                tail = k < len(segments) - 1
                if head and tail and len(text) > 2 * context:
                    text = text[:context] + "…" + text[-context:]
                elif head and not tail:
                    text = text[:context] + "…"
                elif tail and not head:
                    text = "…" + text[-context:]
            runs.append((text, None))
        else:
            if context is not None and len(text) > _MAX_CHANGE:
                text = text[:_MAX_CHANGE] + "…"
            runs.append((text, "del" if segment.op == "-" else "add"))
    return runs


def _hunks(segments: list[Segment]) -> list[list[Run]]:
    """The changed places of a text diff, each with a little unchanged text around it."""
    hunks: list[list[Run]] = []
    current: list[Segment] = []
    for segment in segments:
        if segment.op == "=" and len(segment.text) > 3 * _CONTEXT and current:
            current.append(Segment(op="=", text=segment.text[:_CONTEXT]))
            hunks.append(_segment_runs(current, _CONTEXT))
            current = [Segment(op="=", text=segment.text[-_CONTEXT:])]
        else:
            current.append(segment)
    if any(s.op != "=" for s in current):
        hunks.append(_segment_runs(current, _CONTEXT))
    return hunks


def plain(lines: list[list[Run]]) -> str:
    """The terminal view without colour: changes marked as ``git diff --word-diff`` does."""
    out = []
    for line in lines:
        parts = []
        for text, style in line:
            if style == "del":
                parts.append(f"[-{text}-]")
            elif style == "add":
                parts.append(f"{{+{text}+}}")
            else:
                parts.append(text)
        out.append("".join(parts).rstrip())
    return "\n".join(out) + "\n"


def print_rich(lines: list[list[Run]]) -> None:
    """The terminal view in colour (rich is imported only here)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=_STYLES.get(style or ""))
        console.print(text)


def markdown(report: DiffReport, show_all: bool) -> str:
    """A 新旧对照表 per plan: old and new text side by side, changed words marked."""
    out = [f"# planc diff: {report.old} → {report.new}", ""]
    for pair in report.pairs:
        old_year = pair.old_year or "旧"
        new_year = pair.new_year or "新"
        title = pair.new_title or pair.old_title or pair.new
        out += [f"## {title}", "", f"`{pair.old}` → `{pair.new}`", ""]
        counts = pair.summary.model_dump()
        out += ["，".join(f"{_KINDS_ZH[k]} {n}" for k, n in counts.items() if n), ""]
        rows = [c for c in pair.clauses if show_all or c.kind != "unchanged"]
        if not rows:
            out += ["两版条款相同。", ""]
            continue
        out += [f"| 条款 | 变化 | {old_year}年（旧） | {new_year}年（新） |", "|---|---|---|---|"]
        out += [_row(change) for change in rows]
        out.append("")
    if report.only_old or report.only_new:
        out += ["## 未配对", ""]
        out += [f"- 仅旧版：`{p}`" for p in report.only_old]
        out += [f"- 仅新版：`{p}`" for p in report.only_new]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _row(change: ClauseChange) -> str:
    ids = _cell(_ids(change))
    notes = [_KINDS_ZH[change.kind]]
    notes += [
        f"{_FIELDS_ZH[f.field]}{_FIELD_KINDS_ZH[f.kind]}：{f.old or '—'} → {f.new or '—'}"
        for f in change.fields
    ]
    if change.text_diff:
        old = _marked(change.text_diff, "-")
        new = _marked(change.text_diff, "+")
    else:  # same words, new place: the heading says which clause
        old, new = _cell(change.old_heading or ""), _cell(change.new_heading or "")
    return f"| {ids} | {_cell('；'.join(notes))} | {old} | {new} |"


def _marked(segments: list[Segment], side: str) -> str:
    parts = []
    for segment in segments:
        if segment.op == "=":
            kept = segment.old_text if side == "-" and segment.old_text else segment.text
            parts.append(_cell(kept))
        elif segment.op == side:
            tag = "del" if side == "-" else "ins"  # HTML: ** and ~~ fail next to CJK punctuation
            parts.append(f"<{tag}>{_cell(segment.text)}</{tag}>")
    return "".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")
