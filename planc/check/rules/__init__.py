"""The rules, one module per family; importing this package registers them all."""

from planc.check.rules import commitments, metadata, numbering, text

__all__ = ["commitments", "metadata", "numbering", "text"]
