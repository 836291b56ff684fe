"""Optimal one-to-one matching (the Hungarian algorithm), small and dependency-free.

Greedy first-come matching pairs a clause with the first good partner it meets and leaves the
next clause with a worse one; the optimal assignment maximises the total similarity instead.
"""

from __future__ import annotations

from collections.abc import Sequence


def best_pairs(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int]]:
    """Pairs ``(row, column)`` maximising the summed score; pairs below ``threshold`` are left out."""
    rows = [i for i, row in enumerate(scores) if any(s >= threshold for s in row)]
    columns = [j for j in range(len(scores[0]) if scores else 0)
               if any(scores[i][j] >= threshold for i in rows)]  # fmt: skip
    if not rows or not columns:
        return []
    gain = [[_gain(scores[i][j], threshold) for j in columns] for i in rows]
    transposed = len(rows) > len(columns)
    if transposed:
        gain = [list(col) for col in zip(*gain, strict=True)]
    assigned = _hungarian([[-g for g in row] for row in gain])
    pairs = []
    for r, c in enumerate(assigned):
        i, j = (c, r) if transposed else (r, c)
        if scores[rows[i]][columns[j]] >= threshold:
            pairs.append((rows[i], columns[j]))
    return sorted(pairs)


def _gain(score: float, threshold: float) -> float:
    return score if score >= threshold else 0.0


def _hungarian(cost: list[list[float]]) -> list[int]:
    """For each row (rows <= columns) the column that minimises the total cost: O(n²m)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        min_slack = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            row = cost[i0 - 1]
            delta, j1 = inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                slack = row[j - 1] - u[i0] - v[j]
                if slack < min_slack[j]:
                    min_slack[j] = slack
                    way[j] = j0
                if min_slack[j] < delta:
                    delta, j1 = min_slack[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    min_slack[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    assigned = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            assigned[owner[j] - 1] = j - 1
    return assigned
