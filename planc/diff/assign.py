"""Optimal one-to-one matching (the Hungarian algorithm) on the pairs worth making.

Greedy first-come matching pairs a clause with the first good partner it meets and leaves the
next clause with a worse one; the optimal assignment maximises the total similarity instead.
Only pairs at or above the threshold count, so the problem falls apart into the connected
groups of such pairs (a clause, its rewordings, the few clauses like them): each is solved on
its own, and two 4,000-clause plans cost what their groups cost, not 4,000³.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

Edge = tuple[int, int, float]  # row, column, score


def best_pairs(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int]]:
    """Pairs ``(row, column)`` maximising the summed score; pairs below ``threshold`` are left out."""
    matrix = np.asarray(scores, dtype=np.float64)
    if matrix.size == 0:
        return []
    rows, columns = np.nonzero(matrix >= threshold)
    return best_sparse_pairs(
        zip(rows.tolist(), columns.tolist(), matrix[rows, columns].tolist(), strict=True)
    )


def best_sparse_pairs(edges: Iterable[Edge]) -> list[tuple[int, int]]:
    """The maximum-score matching over ``edges`` (every one a pair worth making), sorted."""
    edge_list = list(edges)
    if not edge_list:
        return []
    by_component: dict[int, list[Edge]] = {}
    for edge, label in zip(edge_list, _components(edge_list), strict=True):
        by_component.setdefault(label, []).append(edge)
    pairs: list[tuple[int, int]] = []
    for component in by_component.values():
        pairs += _solve(component)
    return sorted(pairs)


def _components(edges: list[Edge]) -> list[int]:
    """A label per edge, the same for edges that share a row or a column, directly or not."""
    rows = np.array([i for i, _, _ in edges], dtype=np.int64)
    columns = np.array([j for _, j, _ in edges], dtype=np.int64)
    row_ids, row_node = np.unique(rows, return_inverse=True)
    column_node = np.unique(columns, return_inverse=True)[1] + len(row_ids)
    label = np.arange(int(column_node.max()) + 1)  # rows first, then columns
    while True:  # each node takes the least label it is joined to, until none changes
        least = np.minimum(label[row_node], label[column_node])
        before = label.copy()
        np.minimum.at(label, row_node, least)
        np.minimum.at(label, column_node, least)
        label = label[label]
        if np.array_equal(label, before):
            return label[row_node].tolist()


def _solve(edges: list[Edge]) -> list[tuple[int, int]]:
    if len(edges) == 1:
        return [(edges[0][0], edges[0][1])]
    table = np.array(edges)
    rows, row_at = np.unique(table[:, 0].astype(np.int64), return_inverse=True)
    columns, column_at = np.unique(table[:, 1].astype(np.int64), return_inverse=True)
    transposed = len(rows) > len(columns)
    if transposed:  # the algorithm wants no more rows than columns
        rows, columns, row_at, column_at = columns, rows, column_at, row_at
    # The costs, negated gains, in one matrix padded with a zero row and column (the only
    # matrix of the size rows × columns made: a large group costs one, not four).
    padded = np.zeros((len(rows) + 1, len(columns) + 1))
    padded[row_at + 1, column_at + 1] = -table[:, 2]
    pairs = []
    for r, c in enumerate(_hungarian(padded)):
        if padded[r + 1, c + 1] < 0:
            i, j = int(rows[r]), int(columns[c])
            pairs.append((j, i) if transposed else (i, j))
    return pairs


def _hungarian(padded: np.ndarray) -> list[int]:
    """For each row (rows <= columns) the column that minimises the total cost: O(n²m).
    ``padded``: the costs, below a row and right of a column of zeros.

    The shortest augmenting path form, one row at a time; the scan over columns is numpy's.
    """
    n, m = padded.shape[0] - 1, padded.shape[1] - 1
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    owner = np.zeros(m + 1, dtype=np.int64)  # owner[j]: the row (1-based) holding column j
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        min_slack = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = owner[j0]
            free = ~used
            free[0] = False
            slack = padded[i0] - u[i0] - v
            better = free & (slack < min_slack)
            min_slack[better] = slack[better]
            way[better] = j0
            candidates = np.where(free, min_slack, np.inf)
            j1 = int(np.argmin(candidates))
            delta = candidates[j1]
            u[owner[used]] += delta
            v[used] -= delta
            min_slack[free] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = int(way[j0])
            owner[j0] = owner[j1]
            j0 = j1
    assigned = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            assigned[int(owner[j]) - 1] = j - 1
    return assigned
