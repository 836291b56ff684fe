"""Align two editions of a plan clause by clause, by content rather than by number.

Every clause becomes a tf-idf vector of its character bigrams (years relative to the edition); a
clause with children is also compared on what lies under it, so a section is recognised by its
items even when its heading is reworded. Clauses are paired within their parents first: the
top-level clauses of both editions, then the children of each pair, and so on (the optimal
assignment in each); what is left over on both sides is then paired across the whole plan (a
clause moved to another section). The cost grows with the size of sections and of what moved,
not with the product of the plans' sizes. A clause left over that is a piece of a paired clause
on the other side makes a split or a merge; whether it is a piece is judged on its single
characters as well as its bigrams (a piece split off is often reworded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from planc.diff.assign import best_sparse_pairs
from planc.diff.fields import field_changes
from planc.diff.model import ClauseChange, ClauseKind, PlanDiff, Summary
from planc.diff.tokens import EMPTY, Units, differs, joined, tokenize, word_diff
from planc.diff.vectors import Rows, Side, build, dot
from planc.model import Clause, Plan

MIN_SIMILARITY = 0.3  # below this two clauses are not the same clause
_PIECE = 0.4  # share of a leftover clause's words that a paired clause must have
_PIECE_GAIN = 0.1  # how much more of the whole's words the piece must bring in
_HEADING = 0.25  # share of heading words in the similarity
_SAME_FORM = 0.05  # bonus for the same label form (一、 and 二、, not 一、 and （二）)
_SAME_PARENT = 0.1  # bonus, across the plan, for clauses under parents already paired
_POSITION = 0.02  # tie-breaker: among equals, keep clauses where they stood
_BLOCK = 256  # old clauses per block when scoring across the plan


@dataclass(slots=True)
class _Node:
    clause: Clause
    index: int
    parent: int | None
    year: int | None
    _tokens: Units | None = None
    _heading: Units | None = None

    @property
    def tokens(self) -> Units:
        """The clause's units, for the marked diff: made only for clauses that differ."""
        if self._tokens is None:
            self._tokens = tokenize(self.clause.text, self.year)
        return self._tokens

    @property
    def heading(self) -> Units:
        if self._heading is None:
            self._heading = tokenize(self.clause.heading, self.year)
        return self._heading


@dataclass(slots=True)
class _Group:
    """Matched clauses: one to one, one to many (split) or many to one (merge); or one side."""

    old: list[int]
    new: list[int]
    similarity: float | None = None


@dataclass(slots=True)
class _Edition:
    nodes: list[_Node]
    vectors: Side
    children: dict[int | None, list[int]] = field(default_factory=dict)
    level: np.ndarray = field(default_factory=lambda: np.zeros(0))
    below: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        for node in self.nodes:
            self.children.setdefault(node.parent, []).append(node.index)
        self.level = np.array([n.clause.level for n in self.nodes], dtype=np.int64)
        self.below = self.vectors.below.nonempty()

    def same_text(self, i: int, other: _Edition, j: int) -> bool:
        """Same units (years relative) in text and heading: nothing to mark."""
        mine, theirs = self.vectors, other.vectors
        return np.array_equal(mine.text_keys[i], theirs.text_keys[j]) and np.array_equal(
            mine.heading_keys[i], theirs.heading_keys[j]
        )


def _flatten(plan: Plan, year: int | None) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[tuple[Clause, int | None]] = [(c, None) for c in reversed(plan.clauses)]
    while stack:  # depth first, parents before their children, in document order
        clause, parent = stack.pop()
        node = _Node(clause, len(nodes), parent, year)
        nodes.append(node)
        stack.extend((child, node.index) for child in reversed(clause.children))
    return nodes


def _editions(
    old: list[_Node], new: list[_Node], old_year: int | None, new_year: int | None
) -> tuple[_Edition, _Edition]:
    def described(
        nodes: list[_Node], year: int | None
    ) -> tuple[list[str], list[str], np.ndarray, int | None]:
        parents = np.array([-1 if n.parent is None else n.parent for n in nodes], dtype=np.int64)
        return ([n.clause.text for n in nodes], [n.clause.heading for n in nodes], parents, year)

    old_side, new_side = build(described(old, old_year), described(new, new_year))
    return _Edition(old, old_side), _Edition(new, new_side)


class _Scorer:
    """The similarity of blocks of clause pairs (own text, what lies below, heading, label form)
    and the score that pairs them (with the tie-breaker that keeps clauses where they stood)."""

    def __init__(self, old: _Edition, new: _Edition) -> None:
        self.old, self.new = old, new

    def scores(self, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.old.vectors, self.new.vectors
        own = dot(a.own, rows, b.own, columns)
        old_below = self.old.below[rows][:, None]
        new_below = self.new.below[columns][None, :]
        if old_below.any() and new_below.any():
            below = dot(a.below, rows, b.below, columns)
            content = np.where(
                old_below & new_below,
                0.5 * own + 0.5 * below,
                np.where(old_below | new_below, 0.8 * own, own),
            )
        else:  # a section and an item are rarely the same clause
            content = np.where(old_below | new_below, 0.8 * own, own)
        similar = (1 - _HEADING) * content + _HEADING * dot(a.heading, rows, b.heading, columns)
        similar += _SAME_FORM * (self.old.level[rows][:, None] == self.new.level[columns][None, :])
        old_position = rows[:, None] / max(1, len(self.old.nodes))
        new_position = columns[None, :] / max(1, len(self.new.nodes))
        return similar, similar + _POSITION * (1 - np.abs(old_position - new_position))


class _Aligner:
    def __init__(self, old: _Edition, new: _Edition) -> None:
        self.old, self.new = old, new
        self.scorer = _Scorer(old, new)
        self.pairs: dict[int, int] = {}  # old index -> new index
        self.paired_new: set[int] = set()
        self.similarity: dict[int, float] = {}  # old index -> similarity of its pair

    def run(self) -> None:
        self._within(self.old.children.get(None, []), self.new.children.get(None, []))
        # What is left on both sides, across the plan: a clause under parents already paired
        # (or, for a clause whose parent found no partner, beside top-level clauses) gains.
        rows = np.array([n.index for n in self.old.nodes if n.index not in self.pairs])
        columns = np.array([n.index for n in self.new.nodes if n.index not in self.paired_new])
        if not len(rows) or not len(columns):
            return
        partner = np.array([self._partner_of_parent(i) for i in rows], dtype=np.int64)
        parent = np.array(
            [-1 if self.new.nodes[j].parent is None else self.new.nodes[j].parent for j in columns],
            dtype=np.int64,
        )
        edges: list[tuple[int, int, float]] = []
        similarity: dict[tuple[int, int], float] = {}
        for first in range(0, len(rows), _BLOCK):
            block = rows[first : first + _BLOCK]
            similar, scores = self.scorer.scores(block, columns)
            scores += _SAME_PARENT * (partner[first : first + _BLOCK][:, None] == parent[None, :])
            for r, c in zip(*np.nonzero(scores >= MIN_SIMILARITY), strict=True):
                i, j = int(block[r]), int(columns[c])
                edges.append((i, j, float(scores[r, c])))
                similarity[i, j] = float(similar[r, c])
        found = best_sparse_pairs(edges)
        for i, j in found:
            self._pair(i, j, similarity[i, j])
        for i, j in found:  # then what is left under the clauses just paired, pair by pair
            self._within(
                [c for c in self.old.children.get(i, []) if c not in self.pairs],
                [c for c in self.new.children.get(j, []) if c not in self.paired_new],
            )

    def _partner_of_parent(self, i: int) -> int:
        """The new clause paired with ``i``'s parent; -1 (the top level) if it has none; -2,
        matching nothing, for a top-level clause (already compared with the top level)."""
        parent = self.old.nodes[i].parent
        if parent is None:
            return -2
        return self.pairs.get(parent, -1)

    def _within(self, rows: list[int], columns: list[int]) -> None:
        """Pair ``rows`` with ``columns`` (the children of a pair), then their children."""
        pending = [(rows, columns)]
        while pending:
            rows, columns = pending.pop()
            if not rows or not columns:
                continue
            similar, scores = self.scorer.scores(np.array(rows), np.array(columns))
            edges: list[tuple[int, int, float]] = []
            similarity: dict[tuple[int, int], float] = {}
            for r, c in zip(*np.nonzero(scores >= MIN_SIMILARITY), strict=True):
                edges.append((rows[r], columns[c], float(scores[r, c])))
                similarity[rows[r], columns[c]] = float(similar[r, c])
            for i, j in best_sparse_pairs(edges):
                self._pair(i, j, similarity[i, j])
                pending.append((self.old.children.get(i, []), self.new.children.get(j, [])))

    def _pair(self, i: int, j: int, similarity: float) -> None:
        self.pairs[i] = j
        self.paired_new.add(j)
        self.similarity[i] = similarity


def align(old: _Edition, new: _Edition) -> list[_Group]:
    """Groups covering every clause of both editions exactly once."""
    aligner = _Aligner(old, new)
    if old.nodes and new.nodes:
        aligner.run()
    pairs = aligner.pairs
    groups = {
        i: _Group([i], [j], round(min(1.0, aligner.similarity[i]), 3))
        for i, j in sorted(pairs.items())
    }
    new_to_old = {j: i for i, j in pairs.items()}
    left_new = [n.index for n in new.nodes if n.index not in new_to_old]
    left_old = [n.index for n in old.nodes if n.index not in pairs]
    pieces = _Pieces(old, new)
    # Splits: a leftover new clause that is a piece of an old clause already paired.
    alike_new = _alike(old.vectors.piece, new.vectors.piece, left_new, transpose=True)
    for b in left_new:
        partners = {k: groups[k].new for k in alike_new.get(b, ()) if k in groups}
        whole = pieces.whole_of(b, new, old, partners)
        if whole is not None and len(groups[whole].old) == 1:
            groups[whole].new.append(b)
            new_to_old[b] = whole
    # Merges: a leftover old clause that is a piece of a new clause already paired.
    paired_old = {i for g in groups.values() for i in g.old}
    by_new = {g.new[0]: g for g in groups.values() if len(g.new) == 1}
    alike_old = _alike(old.vectors.piece, new.vectors.piece, left_old, transpose=False)
    for a in left_old:
        partners = {k: by_new[k].old for k in alike_old.get(a, ()) if k in by_new}
        whole = pieces.whole_of(a, old, new, partners)
        if whole is not None:
            by_new[whole].old.append(a)
            paired_old.add(a)
    result = list(groups.values())
    result += [_Group([], [j]) for j in left_new if j not in new_to_old]
    result += [_Group([i], []) for i in left_old if i not in paired_old]
    return result


def _alike(old: Rows, new: Rows, leftovers: list[int], transpose: bool) -> dict[int, list[int]]:
    """For each leftover clause, the clauses of the other edition alike enough to be its whole."""
    found: dict[int, list[int]] = {}
    if not leftovers:
        return found
    others = np.arange(len(old.indptr) - 1 if transpose else len(new.indptr) - 1)
    for first in range(0, len(leftovers), _BLOCK):
        block = np.array(leftovers[first : first + _BLOCK])
        product = dot(new, block, old, others) if transpose else dot(old, block, new, others)
        for r, c in zip(*np.nonzero(product >= MIN_SIMILARITY - 1e-6), strict=True):
            found.setdefault(int(block[r]), []).append(int(others[c]))
    return found


class _Pieces:
    """Whether a leftover clause is a piece of a paired one, on the piece vectors."""

    def __init__(self, old: _Edition, new: _Edition) -> None:
        self.old, self.new = old, new

    def whole_of(
        self, piece: int, pieces: _Edition, wholes: _Edition, partners: dict[int, list[int]]
    ) -> int | None:
        """The paired clause that ``piece`` was cut from (or merged into), if there is one: it
        has enough of the piece, and the piece brings in more of it than its partners do."""
        best, best_gain = None, _PIECE_GAIN
        mine, mine_value = pieces.vectors.piece.entries(piece)
        for w, parts in partners.items():
            whole, whole_value = wholes.vectors.piece.entries(w)
            shared, at_mine, at_whole = np.intersect1d(mine, whole, return_indices=True)
            if (
                not mine_value.sum()
                or mine_value[at_mine].sum() / mine_value.sum() < _PIECE
                or float(mine_value[at_mine] @ whole_value[at_whole]) < MIN_SIMILARITY
            ):
                continue
            covered = np.isin(
                whole, np.concatenate([pieces.vectors.piece.entries(p)[0] for p in parts])
            )
            gain = whole_value[np.isin(whole, shared) & ~covered].sum() / whole_value.sum()
            if gain > best_gain:
                best, best_gain = w, float(gain)
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
    old_edition, new_edition = _editions(old_nodes, new_nodes, old_year, new_year)
    groups = align(old_edition, new_edition)
    news_of: dict[int, set[int]] = {}
    for group in groups:
        for i in group.old:
            news_of[i] = set(group.new)
    first_new_of = {i: min(g.new) for g in groups if g.new for i in g.old}
    changes = [
        (
            _order(g, first_new_of),
            _describe(g, old_edition, new_edition, news_of, years),
        )
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


def _order(group: _Group, new_of: dict[int, int]) -> tuple[float, int, int]:
    """New-document order; a removed clause goes after the match of the clause before it."""
    if group.new:
        return (min(group.new), 0, min(group.old, default=-1))
    before = group.old[0] - 1
    while before >= 0 and before not in new_of:
        before -= 1
    return (new_of[before] if before >= 0 else -1, 1, group.old[0])


def _describe(
    group: _Group,
    old_edition: _Edition,
    new_edition: _Edition,
    news_of: dict[int, set[int]],
    years: int,
) -> ClauseChange:
    old, new = old_edition.nodes, new_edition.nodes
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
        base.text_diff = (
            word_diff(EMPTY, only.tokens) if a is None else word_diff(only.tokens, EMPTY)
        )
        return base
    if len(a_nodes) == len(b_nodes) == 1 and old_edition.same_text(a.index, new_edition, b.index):
        heading_diff = text_diff = []  # the same units: nothing to mark, nothing to segment
    else:
        heading_diff = word_diff(a.heading, b.heading)
        text_diff = word_diff(
            joined([n.tokens for n in a_nodes]), joined([n.tokens for n in b_nodes])
        )
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


def _parent_id(node: _Node | None, nodes: list[_Node]) -> str | None:
    if node is None or node.parent is None:
        return None
    return nodes[node.parent].clause.id
