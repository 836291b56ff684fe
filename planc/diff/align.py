"""Align two editions of a plan clause by clause, by content rather than by number.

Every clause becomes a tf-idf vector of its character bigrams (years relative to the edition); a
clause with children is also compared on what lies under it, so a section is recognised by its
items even when its heading is reworded. The optimal assignment pairs clauses one to one; a
clause left over that is a piece of a paired clause on the other side makes a split or a merge.
Whether a clause is a piece of another is judged on its single characters as well as its bigrams
(a piece split off is often reworded), the pairing mostly on bigrams (shared phrases).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planc.diff.assign import Edge, best_sparse_pairs
from planc.diff.fields import field_changes
from planc.diff.model import ClauseChange, ClauseKind, PlanDiff, Summary
from planc.diff.tokens import Token, Weights, bag, containment, cosine, differs, tokenize, word_diff
from planc.model import Clause, Plan

MIN_SIMILARITY = 0.3  # below this two clauses are not the same clause
_UNITS = 0.25  # weight of single units against bigrams in the similarity (not in pieces)
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
    piece_vector: dict[str, float] = field(default_factory=dict)
    below_vector: dict[str, float] = field(default_factory=dict)
    heading_vector: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Group:
    """Matched clauses: one to one, one to many (split) or many to one (merge); or one side."""

    old: list[int]
    new: list[int]
    similarity: float | None = None


def _flatten(plan: Plan, year: int | None, seen: dict[str, list[Token]]) -> list[_Node]:
    nodes: list[_Node] = []

    def walk(clause: Clause, parent: int | None) -> None:
        tokens = tokenize(clause.text, year, seen)
        node = _Node(clause, len(nodes), parent, tokenize(clause.heading, year, seen), tokens,
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


class _Similarity:
    """The similarity of clause pairs, computed for many pairs at once.

    The vectors become matrices over the words both editions use (a word on one side only
    adds nothing to a dot product), in single precision: a block of clauses against another is
    a few matrix products. The similarity of the pairs finally made is computed again exactly
    (``_similarity``), so what is printed does not depend on rounding here.
    """

    def __init__(self, old: list[_Node], new: list[_Node]) -> None:
        self.old, self.new = old, new
        self.own = _Matrices([n.own_vector for n in old], [n.own_vector for n in new])
        self.piece = _Matrices([n.piece_vector for n in old], [n.piece_vector for n in new])
        self.below = _Matrices([n.below_vector for n in old], [n.below_vector for n in new])
        self.heading = _Matrices([n.heading_vector for n in old], [n.heading_vector for n in new])
        self.old_below = np.array([bool(n.below_vector) for n in old])
        self.new_below = np.array([bool(n.below_vector) for n in new])
        self.old_level = np.array([n.clause.level for n in old])
        self.new_level = np.array([n.clause.level for n in new])

    def scores(self, rows: Any, columns: Any) -> tuple[np.ndarray, np.ndarray]:
        """Content (own text, and what lies below), heading words and the label's form; the
        score adds the tie-breaker that keeps clauses where they stood."""
        own = self.own.product(rows, columns)
        old_below = self.old_below[rows][:, None]
        new_below = self.new_below[columns][None, :]
        if old_below.any() and new_below.any():
            below = self.below.product(rows, columns)
            content = np.where(
                old_below & new_below,
                0.5 * own + 0.5 * below,
                np.where(old_below | new_below, 0.8 * own, own),
            )
        else:  # a section and an item are rarely the same clause
            content = np.where(old_below | new_below, 0.8 * own, own)
        similar = (1 - _HEADING) * content + _HEADING * self.heading.product(rows, columns)
        similar += _SAME_FORM * (self.old_level[rows][:, None] == self.new_level[columns][None, :])
        old_position = np.arange(len(self.old))[rows][:, None] / len(self.old)
        new_position = np.arange(len(self.new))[columns][None, :] / len(self.new)
        return similar, similar + _POSITION * (1 - np.abs(old_position - new_position))

    def edges(self, floor: float) -> tuple[list[Edge], dict[int, list[int]]]:
        """``(old, new, score)`` for each pair scoring ``floor`` or more, a block of old clauses
        at a time; and for each old clause the new ones whose own words are alike enough to be
        its pieces. Memory grows with the pairs worth making, not with old × new."""
        found: list[Edge] = []
        alike: dict[int, list[int]] = {}
        everything = slice(None)
        for first in range(0, len(self.old), _BLOCK):
            rows = slice(first, min(len(self.old), first + _BLOCK))
            _, scores = self.scores(rows, everything)
            for i, j in zip(*np.nonzero(scores >= floor), strict=True):
                found.append((first + int(i), int(j), float(scores[i, j])))
            piece = self.piece.product(rows, everything)
            for i, j in zip(*np.nonzero(piece >= MIN_SIMILARITY - 1e-6), strict=True):
                alike.setdefault(first + int(i), []).append(int(j))
        return found, alike


_BLOCK = 512  # old clauses per block of the similarity computation


class _Matrices:
    """Unit vectors of both editions, for dot products of many pairs at once.

    Words both editions use in many clauses go in dense matrices (a matrix product); the
    others, most words, as lists of (clause, weight) per word, each pair of entries of one
    word a term of the dot product. Either alone costs too much on big plans: dense rows over
    all words take gigabytes, and common words would pair nearly every clause with every other.
    """

    def __init__(self, old: list[dict[str, float]], new: list[dict[str, float]]) -> None:
        new_count: Counter[str] = Counter(w for vec in new for w in vec)
        shared = sorted({w for vec in old for w in vec} & new_count.keys())
        common = [w for w in shared if new_count[w] > _COMMON]
        rare = [w for w in shared if new_count[w] <= _COMMON]
        self.n, self.m = len(old), len(new)
        self.old_dense = _dense(old, {w: k for k, w in enumerate(common)})
        self.new_dense_t = _dense(new, {w: k for k, w in enumerate(common)}).T.copy()
        rare_id = {w: k for k, w in enumerate(rare)}
        self.old_entries = _entries(old, rare_id)  # row, word, weight
        rows, words, weights = _entries(new, rare_id)
        order = np.argsort(words, kind="stable")
        self.new_row, self.new_weight = rows[order], weights[order]
        self.new_start = np.searchsorted(words[order], np.arange(len(rare) + 1))

    def product(self, rows: Any, columns: Any) -> np.ndarray:
        """Dot products of the old clauses ``rows`` with the new clauses ``columns``."""
        result = self.old_dense[rows] @ self.new_dense_t[:, columns]
        row_at = np.full(self.n, -1)
        row_at[rows] = np.arange(result.shape[0])
        column_at = np.full(self.m, -1)
        column_at[columns] = np.arange(result.shape[1])
        old_row, word, weight = self.old_entries
        keep = row_at[old_row] >= 0
        old_row, word, weight = old_row[keep], word[keep], weight[keep]
        counts = self.new_start[word + 1] - self.new_start[word]
        total = int(counts.sum())
        if total:
            ends = np.cumsum(counts)
            within = np.arange(total) - np.repeat(ends - counts, counts)
            at = np.repeat(self.new_start[word], counts) + within
            row = row_at[np.repeat(old_row, counts)]
            column = column_at[self.new_row[at]]
            term = np.repeat(weight, counts) * self.new_weight[at]
            inside = column >= 0
            width = result.shape[1]
            flat = np.bincount(
                row[inside] * width + column[inside],
                weights=term[inside],
                minlength=result.size,
            )
            result += flat.reshape(result.shape).astype(np.float32)
        return result


_COMMON = 256  # new clauses a word must be in to go in the dense matrices


def _dense(vectors: list[dict[str, float]], column: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(vectors), max(1, len(column))), dtype=np.float32)
    for row, vec in enumerate(vectors):
        for word, value in vec.items():
            k = column.get(word)
            if k is not None:
                matrix[row, k] = value
    return matrix


def _entries(
    vectors: list[dict[str, float]], word_id: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, words, weights = [], [], []
    for row, vec in enumerate(vectors):
        for word, value in vec.items():
            k = word_id.get(word)
            if k is not None:
                rows.append(row)
                words.append(k)
                weights.append(value)
    return (
        np.array(rows, dtype=np.int64),
        np.array(words, dtype=np.int64),
        np.array(weights, dtype=np.float64),
    )


def _similarity(a: _Node, b: _Node) -> float:
    """``_Similarity.scores`` for one pair, exactly."""
    own = cosine(a.own_vector, b.own_vector)
    if a.below_vector and b.below_vector:
        content = 0.5 * own + 0.5 * cosine(a.below_vector, b.below_vector)
    elif a.below_vector or b.below_vector:
        content = 0.8 * own
    else:
        content = own
    heading = cosine(a.heading_vector, b.heading_vector)
    same_form = _SAME_FORM if a.clause.level == b.clause.level else 0.0
    return (1 - _HEADING) * content + _HEADING * heading + same_form


def align(old: list[_Node], new: list[_Node]) -> list[_Group]:
    """Groups covering every clause of both editions exactly once."""
    weights = Weights([n.words for n in old + new])
    for node in old + new:
        node.own_vector = weights.vector(node.words, _UNITS)
        node.piece_vector = weights.vector(node.words)
        node.below_vector = weights.vector(node.below, _UNITS) if node.below else {}
        node.heading_vector = weights.vector(bag(node.heading), _UNITS)
    pairs: list[tuple[int, int]] = []
    alike: dict[int, list[int]] = {}
    if old and new:
        similarity = _Similarity(old, new)
        edges, alike = similarity.edges(MIN_SIMILARITY)
        first = dict(best_sparse_pairs(edges))
        # Second pass: clauses whose parents were paired in the first pass are likelier a
        # pair; only children of paired parents can gain, so only those blocks are scored.
        second = {(i, j): score for i, j, score in edges}
        children_old, children_new = _children(old), _children(new)
        parents = [p for p in children_old if p is not None]
        blocks = [(children_old[p], children_new.get(first[p])) for p in parents if p in first]
        # (A clause whose parent found no partner gains beside top-level clauses, as it did
        # when every pair was scored: its parent's partner and theirs are both "none".)
        orphans = [i for p in parents if p not in first for i in children_old[p]]
        blocks.append((orphans, children_new.get(None)))
        for rows, columns in blocks:
            if not rows or not columns:
                continue
            _, scores = similarity.scores(np.array(rows), np.array(columns))
            scores += _SAME_PARENT
            for r, c in zip(*np.nonzero(scores >= MIN_SIMILARITY), strict=True):
                second[rows[r], columns[c]] = float(scores[r, c])
        pairs = best_sparse_pairs((i, j, score) for (i, j), score in second.items())
    groups = {
        i: _Group([i], [j], round(min(1.0, _similarity(old[i], new[j])), 3)) for i, j in pairs
    }
    new_to_old = {j: i for i, j in pairs}
    alike_new: dict[int, list[int]] = {}
    for a_index, b_indexes in alike.items():
        for b_index in b_indexes:
            alike_new.setdefault(b_index, []).append(a_index)
    # Splits: a leftover new clause that is a piece of an old clause already paired.
    for b in (n for n in new if n.index not in new_to_old):
        partners = {k: groups[k].new for k in alike_new.get(b.index, ()) if k in groups}
        whole = _whole_of(b, old, partners, new, weights)
        if whole is not None and len(groups[whole].old) == 1:
            groups[whole].new.append(b.index)
            new_to_old[b.index] = whole
    # Merges: a leftover old clause that is a piece of a new clause already paired.
    paired_old = {i for g in groups.values() for i in g.old}
    by_new = {g.new[0]: g for g in groups.values() if len(g.new) == 1}
    for a in (n for n in old if n.index not in paired_old):
        partners = {k: by_new[k].old for k in alike.get(a.index, ()) if k in by_new}
        whole = _whole_of(a, new, partners, old, weights)
        if whole is not None:
            by_new[whole].old.append(a.index)
            paired_old.add(a.index)
    result = list(groups.values())
    result += [_Group([], [b.index]) for b in new if b.index not in new_to_old]
    result += [_Group([a.index], []) for a in old if a.index not in paired_old]
    return result


def _children(nodes: list[_Node]) -> dict[int | None, list[int]]:
    """The clauses under each clause; under None, the top-level ones."""
    children: dict[int | None, list[int]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node.index)
    return children


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
            containment(piece.piece_vector, whole.piece_vector) < _PIECE
            or cosine(piece.piece_vector, whole.piece_vector) < MIN_SIMILARITY
        ):
            continue
        joined: Counter[str] = Counter()
        for p in parts:
            joined.update(pieces[p].words)
        before = containment(whole.piece_vector, weights.vector(joined))
        joined.update(piece.words)
        gain = containment(whole.piece_vector, weights.vector(joined)) - before
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
    seen: dict[str, list[Token]] = {}  # texts both editions share are segmented once
    old_nodes, new_nodes = _flatten(old, old_year, seen), _flatten(new, new_year, seen)
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
