"""Clause vectors for the diff, built and multiplied with numpy.

Each clause has four tf-idf vectors over the units (``planc.diff.tokens``) and unit bigrams of
both editions: its own text, what lies below it, its heading, and its own text again with single
units weighing as much as bigrams (the "piece" vector, for splits and merges). A vector set is
a sparse matrix in rows (CSR); ``dot`` multiplies a block of old clauses by a block of new ones.
Everything is arrays: the Python-level cost is one pass over each text's units.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planc.diff.tokens import UNIT, is_word_key, year_key
from planc.textmap import fold

UNITS_WEIGHT = 0.25  # single units against bigrams, in the similarity (not in the piece vector)
_DENSE_SHARE = 64  # a feature in more than 1/64 of a block's pairs is multiplied densely
_JOIN_CHUNK = 1 << 20  # pairs of entries joined at once, to bound memory


@dataclass(slots=True)
class Rows:
    """A sparse matrix: row ``i`` holds ``feature[indptr[i]:indptr[i+1]]`` (sorted, unique)."""

    indptr: np.ndarray
    feature: np.ndarray
    value: np.ndarray

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(local row, feature, value)`` of every entry of ``rows``, local row = position."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        counts = ends - starts
        total = int(counts.sum())
        local = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        at = np.repeat(starts, counts) + offsets
        return local, self.feature[at], self.value[at]

    def entries(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Features and values of row ``i``."""
        start, end = self.indptr[i], self.indptr[i + 1]
        return self.feature[start:end], self.value[start:end]

    def nonempty(self) -> np.ndarray:
        return np.diff(self.indptr) > 0


@dataclass(slots=True)
class Side:
    """The vectors of one edition's clauses, and the unit keys of each text."""

    own: Rows
    below: Rows
    heading: Rows
    piece: Rows
    text_keys: list[np.ndarray]  # unit ids of each clause's text (equal: same words)
    heading_keys: list[np.ndarray]


class Vocabulary:
    """Unit keys of both editions, numbered; years are made relative per edition."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.word: list[bool] = []

    def key_ids(self, texts: Sequence[str], year: int | None) -> list[np.ndarray]:
        seen: dict[str, int] = {}  # unit as printed (folded) -> key id, for this edition
        result = []
        for text in texts:
            units = UNIT.findall(fold(text))
            for unit in set(units).difference(seen):
                key = year_key(unit, year)
                k = self.ids.get(key)
                if k is None:
                    k = self.ids[key] = len(self.word)
                    self.word.append(is_word_key(key))
                seen[unit] = k
            result.append(np.frombuffer(array("q", map(seen.__getitem__, units)), dtype=np.int64))
        return result


def build(
    old: tuple[Sequence[str], Sequence[str], np.ndarray, int | None],
    new: tuple[Sequence[str], Sequence[str], np.ndarray, int | None],
) -> tuple[Side, Side]:
    """Both editions' vectors from ``(texts, headings, parent index or -1, year)``."""
    vocabulary = Vocabulary()
    keys = []
    for texts, headings, _, year in (old, new):
        keys.append((vocabulary.key_ids(texts, year), vocabulary.key_ids(headings, year)))
    word = np.array(vocabulary.word, dtype=bool) if vocabulary.word else np.zeros(0, dtype=bool)
    base = len(vocabulary.word) + 1
    grams = [
        (_grams(text_keys, word, base), _grams(heading_keys, word, base))
        for text_keys, heading_keys in keys
    ]
    # One numbering of the features both editions use, in own texts and headings.
    everything = np.concatenate([g[1] for pair in grams for g in pair])
    codes, inverse = np.unique(everything, return_inverse=True)
    pieces = np.cumsum([0] + [len(g[1]) for pair in grams for g in pair])
    located = [inverse[pieces[k] : pieces[k + 1]] for k in range(4)]
    unit_feature = codes % base == base - 1
    documents = np.zeros(len(codes), dtype=np.int64)
    total = 0
    for k in (0, 2):  # own texts of both editions
        documents += np.bincount(located[k], minlength=len(codes))
        total += len(keys[k // 2][0])
    idf = np.where(documents > 0, np.log((1 + total) / (1 + documents)) + 1.0, 1.0)
    sides = []
    for s, (texts, _, parents, _) in enumerate((old, new)):
        (text_rows, _, text_counts), (heading_rows, _, heading_counts) = grams[s]
        text_features, heading_features = located[2 * s], located[2 * s + 1]
        n = len(texts)
        below_rows, below_features, below_counts = _below(
            text_rows, text_features, text_counts, parents
        )
        sides.append(
            Side(
                own=_tfidf(n, text_rows, text_features, text_counts, idf, unit_feature),
                below=_tfidf(n, below_rows, below_features, below_counts, idf, unit_feature),
                heading=_tfidf(
                    n, heading_rows, heading_features, heading_counts, idf, unit_feature
                ),
                piece=_tfidf(n, text_rows, text_features, text_counts, idf, unit_feature, 1.0),
                text_keys=keys[s][0],
                heading_keys=keys[s][1],
            )
        )
    return sides[0], sides[1]


def _grams(
    texts: list[np.ndarray], word: np.ndarray, base: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, code, count)`` of every unit and bigram of each text: a unit ``a`` is the code
    ``a·base + base-1``, a bigram ``a b`` is ``a·base + b``; punctuation breaks bigrams."""
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if not lengths.sum():
        return empty, empty, empty
    units = np.concatenate(texts)
    row = np.repeat(np.arange(len(texts)), lengths)
    is_word = word[units]
    first, second = slice(None, -1), slice(1, None)
    joined = is_word[first] & is_word[second] & (row[first] == row[second])
    code = np.concatenate(
        [units[is_word] * base + base - 1, units[first][joined] * base + units[second][joined]]
    )
    rows = np.concatenate([row[is_word], row[first][joined]])
    span = int(code.max()) + 1 if len(code) else 1
    unique, count = np.unique(rows * span + code, return_counts=True)
    return unique // span, unique % span, count


def _rows(n: int, rows: np.ndarray, features: np.ndarray, values: np.ndarray) -> Rows:
    """Entries sorted by row, then feature (as ``np.unique`` of ``row·span + code`` leaves them:
    features are numbered in the order of their codes)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return Rows(indptr, features, values)


def _tfidf(
    n: int,
    rows: np.ndarray,
    features: np.ndarray,
    counts: np.ndarray,
    idf: np.ndarray,
    unit_feature: np.ndarray,
    units: float = UNITS_WEIGHT,
) -> Rows:
    """Unit-length tf-idf rows (sublinear tf, so a repeated unit does not dominate)."""
    value = (1.0 + np.log(counts)) * idf[features]
    value = np.where(unit_feature[features], value * units, value)
    norm = np.sqrt(np.bincount(rows, weights=value * value, minlength=n))
    value = value / np.where(norm > 0, norm, 1.0)[rows]
    keep = value > 0
    return _rows(n, rows[keep], features[keep], value[keep])


def _below(
    rows: np.ndarray, features: np.ndarray, counts: np.ndarray, parents: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The counts of everything under each clause: each entry added to every ancestor."""
    found_rows, found_features, found_counts = [], [], []
    up = parents[rows] if len(rows) else rows
    keep = up >= 0
    up, feature, count = up[keep], features[keep], counts[keep]
    while len(up):
        found_rows.append(up)
        found_features.append(feature)
        found_counts.append(count)
        up = parents[up]
        keep = up >= 0
        up, feature, count = up[keep], feature[keep], count[keep]
    if not found_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    all_rows, all_features = np.concatenate(found_rows), np.concatenate(found_features)
    span = int(all_features.max()) + 1
    unique, inverse = np.unique(all_rows * span + all_features, return_inverse=True)
    summed = np.bincount(inverse, weights=np.concatenate(found_counts)).astype(np.int64)
    return unique // span, unique % span, summed


def dot(a: Rows, rows: np.ndarray, b: Rows, columns: np.ndarray) -> np.ndarray:
    """Dot products of the rows ``rows`` of ``a`` with the rows ``columns`` of ``b``.

    A feature in many rows and many columns goes in a dense matrix product (it would pair
    nearly every row with every column); the others are joined entry by entry, so that most
    features, each in a few clauses, cost what they pair and memory stays bounded.
    """
    result = np.zeros((len(rows), len(columns)))
    if not len(rows) or not len(columns):
        return result
    a_row, a_feature, a_value = a.gather(rows)
    b_column, b_feature, b_value = b.gather(columns)
    if not len(a_feature) or not len(b_feature):
        return result
    size = int(max(a_feature.max(), b_feature.max())) + 1
    in_a = np.bincount(a_feature, minlength=size)
    in_b = np.bincount(b_feature, minlength=size)
    pairs = in_a * in_b
    dense = np.flatnonzero(pairs * _DENSE_SHARE > len(rows) * len(columns))
    if len(dense):
        column_of = np.full(size, -1)
        column_of[dense] = np.arange(len(dense))
        left = np.zeros((len(rows), len(dense)))
        pick = column_of[a_feature] >= 0
        left[a_row[pick], column_of[a_feature[pick]]] = a_value[pick]
        right = np.zeros((len(columns), len(dense)))
        pick = column_of[b_feature] >= 0
        right[b_column[pick], column_of[b_feature[pick]]] = b_value[pick]
        result += left @ right.T
        rare = pairs * _DENSE_SHARE <= len(rows) * len(columns)
    else:
        rare = np.ones(size, dtype=bool)
    keep = rare[a_feature] & (in_b[a_feature] > 0)
    a_row, a_feature, a_value = a_row[keep], a_feature[keep], a_value[keep]
    keep = rare[b_feature] & (in_a[b_feature] > 0)
    b_column, b_feature, b_value = b_column[keep], b_feature[keep], b_value[keep]
    order = np.argsort(b_feature, kind="stable")
    b_column, b_value = b_column[order], b_value[order]
    b_start = np.searchsorted(b_feature[order], np.arange(size + 1))
    matches = b_start[a_feature + 1] - b_start[a_feature]
    width = len(columns)
    flat = result.reshape(-1)
    ends = np.cumsum(matches)
    first = 0
    while first < len(a_feature):  # a chunk of row entries at a time
        last = int(np.searchsorted(ends, ends[first] - matches[first] + _JOIN_CHUNK, "right"))
        last = max(last, first + 1)
        count = matches[first:last]
        total = int(count.sum())
        if total:
            offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            at = np.repeat(b_start[a_feature[first:last]], count) + offset
            cell = np.repeat(a_row[first:last], count) * width + b_column[at]
            flat += np.bincount(
                cell,
                weights=np.repeat(a_value[first:last], count) * b_value[at],
                minlength=flat.size,
            )
        first = last
    return result
