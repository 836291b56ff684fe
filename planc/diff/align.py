"""Align two editions of a plan clause by clause, by content rather than by number.

Every clause becomes a tf-idf vector of its jieba words (years relative to the edition); a
clause with children is also compared on what lies under it, so a section is recognised by its
items even when its heading is reworded. The optimal assignment pairs clauses one to one; a
clause left over that is a piece of a paired clause on the other side makes a split or a merge.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from planc.diff.assign import best_pairs
from planc.diff.fields import field_changes
from planc.diff.model import ClauseChange, ClauseKind, PlanDiff, Summary
from planc.diff.tokens import Token, Weights, bag, containment, cosine, differs, tokenize, word_diff
from planc.model import Clause, Plan

MIN_SIMILARITY = 0.3  # below this two clauses are not the same clause
_PIECE = 0.4  # share of a leftover clause's words that a paired clause must have
_PIECE_GAIN = 0.1  # how much more of the whole's words the piece must bring in
_HEADING = 0.25  # share of heading words in the similarity
_SAME_FORM = 0.05  # bonus for the same label form (一、 and 二、, not 一、 and （二）)
_SAME_PARENT = 0.1  # bonus for clauses under parents already paired
_POSITION = 0.02  # tie-breaker: among equals, keep clauses where they stood


@dataclass(slots=True)
class _Node:
    clause: Clause
    index: int
    parent: int | None
    heading: list[Token]
    tokens: list[Token]
    words: Counter[str]
    below: Counter[str] = field(default_factory=Counter)
    own_vector: dict[str, float] = field(default_factory=dict)
    below_vector: dict[str, float] = field(default_factory=dict)
    heading_vector: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Group:
    """Matched clauses: one to one, one to many (split) or many to one (merge); or one side."""

    old: list[int]
    new: list[int]
    similarity: float | None = None


def _flatten(plan: Plan, year: int | None) -> list[_Node]:
    nodes: list[_Node] = []

    def walk(clause: Clause, parent: int | None) -> None:
        tokens = tokenize(clause.text, year)
        node = _Node(clause, len(nodes), parent, tokenize(clause.heading, year), tokens,
                     bag(tokens))  # fmt: skip
        nodes.append(node)
        for child in clause.children:
            walk(child, node.index)

    for top in plan.clauses:
        walk(top, None)
    for node in reversed(nodes):  # children come after their parent
        if node.parent is not None:
            nodes[node.parent].below.update(node.words)
            nodes[node.parent].below.update(node.below)
    return nodes


def _similarity(a: _Node, b: _Node) -> float:
    """Content (own text, and what lies below), heading words, and the label's form."""
    own = cosine(a.own_vector, b.own_vector)
    if a.below_vector and b.below_vector:
        content = 0.5 * own + 0.5 * cosine(a.below_vector, b.below_vector)
    elif a.below_vector or b.below_vector:
        content = 0.8 * own  # a section and an item are rarely the same clause
    else:
        content = own
    heading = cosine(a.heading_vector, b.heading_vector)
    same_form = _SAME_FORM if a.clause.level == b.clause.level else 0.0
    return (1 - _HEADING) * content + _HEADING * heading + same_form


def align(old: list[_Node], new: list[_Node]) -> list[_Group]:
    """Groups covering every clause of both editions exactly once."""
    weights = Weights([n.words for n in old + new])
    for node in old + new:
        node.own_vector = weights.vector(node.words)
        node.below_vector = weights.vector(node.below) if node.below else {}
        node.heading_vector = weights.vector(bag(node.heading))
    similar = [[_similarity(a, b) for b in new] for a in old]
    scores = [
        [
            s + _POSITION * (1 - abs(a.index / len(old) - b.index / len(new)))
            for b, s in zip(new, row, strict=True)
        ]
        for a, row in zip(old, similar, strict=True)
    ]
    # Second pass: clauses whose parents were paired in the first pass are likelier a pair.
    first = dict(best_pairs(scores, MIN_SIMILARITY))
    for a in old:
        for b in new:
            if a.parent is not None and first.get(a.parent) == b.parent:
                scores[a.index][b.index] += _SAME_PARENT
    pairs = best_pairs(scores, MIN_SIMILARITY)
    groups = {i: _Group([i], [j], round(min(1.0, similar[i][j]), 3)) for i, j in pairs}
    new_to_old = {j: i for i, j in pairs}
    # Splits: a leftover new clause that is a piece of an old clause already paired.
    for b in (n for n in new if n.index not in new_to_old):
        i = _whole_of(b, old, {i: g.new for i, g in groups.items()}, new, weights)
        if i is not None and len(groups[i].old) == 1:
            groups[i].new.append(b.index)
            new_to_old[b.index] = i
    # Merges: a leftover old clause that is a piece of a new clause already paired.
    paired_old = {i for g in groups.values() for i in g.old}
    by_new = {g.new[0]: g for g in groups.values() if len(g.new) == 1}
    for a in (n for n in old if n.index not in paired_old):
        j = _whole_of(a, new, {j: g.old for j, g in by_new.items()}, old, weights)
        if j is not None:
            by_new[j].old.append(a.index)
            paired_old.add(a.index)
    result = list(groups.values())
    result += [_Group([], [b.index]) for b in new if b.index not in new_to_old]
    result += [_Group([a.index], []) for a in old if a.index not in paired_old]
    return result


def _whole_of(
    piece: _Node,
    wholes: list[_Node],
    partners: dict[int, list[int]],
    pieces: list[_Node],
    weights: Weights,
) -> int | None:
    """The paired clause that ``piece`` was cut from (or merged into), if there is one."""
    best, best_gain = None, _PIECE_GAIN
    for w, parts in partners.items():
        whole = wholes[w]
        if (
            containment(piece.own_vector, whole.own_vector) < _PIECE
            or cosine(piece.own_vector, whole.own_vector) < MIN_SIMILARITY
        ):
            continue
        joined: Counter[str] = Counter()
        for p in parts:
            joined.update(pieces[p].words)
        before = containment(whole.own_vector, weights.vector(joined))
        joined.update(piece.words)
        gain = containment(whole.own_vector, weights.vector(joined)) - before
        if gain > best_gain:
            best, best_gain = w, gain
    return best


def diff_plans(
    old: Plan,
    new: Plan,
    old_year: int | None = None,
    new_year: int | None = None,
) -> PlanDiff:
    """Align ``old`` and ``new`` and say what became of every clause."""
    old_year = old_year or old.meta.year
    new_year = new_year or new.meta.year
    years = new_year - old_year if old_year and new_year else 0
    old_nodes, new_nodes = _flatten(old, old_year), _flatten(new, new_year)
    groups = align(old_nodes, new_nodes)
    news_of: dict[int, set[int]] = {}
    for group in groups:
        for i in group.old:
            news_of[i] = set(group.new)
    changes = [
        (_order(g, groups, old_nodes), _describe(g, old_nodes, new_nodes, news_of, years))
        for g in groups
    ]
    changes.sort(key=lambda pair: pair[0])
    clauses = [change for _, change in changes]
    summary = Summary.model_validate(Counter(c.kind for c in clauses))
    same = summary.unchanged == len(clauses)
    return PlanDiff(
        old=old.source.path,
        new=new.source.path,
        old_title=old.meta.title,
        new_title=new.meta.title,
        old_year=old_year,
        new_year=new_year,
        same=same,
        summary=summary,
        clauses=clauses,
    )


def _order(group: _Group, groups: list[_Group], old: list[_Node]) -> tuple[float, int, int]:
    """New-document order; a removed clause goes after the match of the clause before it."""
    if group.new:
        return (min(group.new), 0, min(group.old, default=-1))
    new_of = {i: min(g.new) for g in groups if g.new for i in g.old}
    before = group.old[0] - 1
    while before >= 0 and before not in new_of:
        before -= 1
    return (new_of[before] if before >= 0 else -1, 1, group.old[0])


def _describe(
    group: _Group,
    old: list[_Node],
    new: list[_Node],
    news_of: dict[int, set[int]],
    years: int,
) -> ClauseChange:
    a_nodes = [old[i] for i in sorted(group.old)]
    b_nodes = [new[j] for j in sorted(group.new)]
    a = old[group.old[0]] if group.old else None  # the first pair the assignment made
    b = new[group.new[0]] if group.new else None
    base = ClauseChange(
        kind="unchanged",
        old_ids=[n.clause.id for n in a_nodes],
        new_ids=[n.clause.id for n in b_nodes],
        old_heading=a.clause.heading if a else None,
        new_heading=b.clause.heading if b else None,
        similarity=group.similarity,
        old_parent=_parent_id(a, old),
        new_parent=_parent_id(b, new),
    )
    if a is None or b is None:
        base.kind = "added" if a is None else "removed"
        only = b or a
        assert only is not None
        base.text_diff = word_diff([], only.tokens) if a is None else word_diff(only.tokens, [])
        return base
    heading_diff = word_diff(a.heading, b.heading)
    text_diff = word_diff(_joined(a_nodes), _joined(b_nodes))
    base.reworded = differs(text_diff)
    base.heading_diff = heading_diff if differs(heading_diff) else []
    base.text_diff = text_diff if base.reworded else []
    base.fields = field_changes([n.clause for n in a_nodes], [n.clause for n in b_nodes], years)
    base.kind = _kind(a, b, a_nodes, b_nodes, news_of, base.reworded or bool(base.fields))
    return base


def _kind(
    a: _Node,
    b: _Node,
    a_nodes: list[_Node],
    b_nodes: list[_Node],
    news_of: dict[int, set[int]],
    changed: bool,
) -> ClauseKind:
    if len(b_nodes) > 1:
        return "split"
    if len(a_nodes) > 1:
        return "merged"
    if a.parent is None and b.parent is None:
        moved = False
    else:
        moved = a.parent is None or b.parent is None or b.parent not in news_of.get(a.parent, ())
    if moved:
        return "moved"
    if a.clause.id != b.clause.id:
        return "renumbered"
    return "changed" if changed else "unchanged"


def _joined(nodes: list[_Node]) -> list[Token]:
    tokens: list[Token] = []
    for node in nodes:
        tokens.extend(node.tokens)
    return tokens


def _parent_id(node: _Node | None, nodes: list[_Node]) -> str | None:
    if node is None or node.parent is None:
        return None
    return nodes[node.parent].clause.id
