"""The one error type planc raises on bad input: the CLI turns it into a one-line message."""

from __future__ import annotations


class PlancError(Exception):
    """Bad input or an unusable output path; ``exit_code`` is what the CLI exits with."""

    def __init__(self, message: str, path: str | None = None, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.exit_code = exit_code

    def __str__(self) -> str:
        if not self.path:
            return self.message
        path = self.path if self.path.isprintable() else repr(self.path)  # keep it one line
        return f"{path}: {self.message}"


def text_of_path(path: str) -> str:
    """A file name as text: bytes of it that are not UTF-8 (which ``os`` keeps as lone
    surrogates) become U+FFFD, so that the name can be written out as UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return path
