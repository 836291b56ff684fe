"""``planc diff``: what a new edition of a plan changed, clause by clause.

``load`` reads each side, ``align`` pairs clauses by content (``tokens``, ``assign``), ``fields``
compares their targets, deadlines and owners, ``render`` shows the result, ``model`` types it.
"""
