"""Parse: a decoded plan into front matter, a clause tree and back matter, losslessly; and
the metadata they state. One module a step: ``lines`` (tokens and the document's shape),
``labels`` (GB/T 9704 clause labels), ``tables`` (task tables as text), ``tree`` (the clause
tree, front and back matter) and ``meta`` (title, issuer, 发文字号, 成文日期, year).
"""

from __future__ import annotations

from planc.parse.lines import (
    Kind,
    Line,
    classify,
    full_line_width,
    split_lines,
    squeeze_spaces,
    width,
)
from planc.parse.tree import Node, Parsed, parse

__all__ = [
    "Kind",
    "Line",
    "Node",
    "Parsed",
    "classify",
    "full_line_width",
    "parse",
    "split_lines",
    "squeeze_spaces",
    "width",
]
