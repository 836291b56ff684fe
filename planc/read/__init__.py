"""planc readers: one module per input format, each returning a ``Document``."""
