"""Zip packages (.docx, .ofd): their parts read with a bound on what they may unpack to.

``ZipFile.read`` inflates a whole part in one call, whatever it declared; here a part is read
in chunks from the zip stream and reading stops at the budget, so a part declaring 1,000 bytes
that would inflate to gigabytes costs no more than the budget.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from planc.errors import PlancError

UNPACK_RATIO = 4  # a package may unpack to this many times --max-bytes (zip bombs may not)
_CHUNK = 1 << 16


class Package:
    """An open zip package and what is left of its unpacking budget."""

    def __init__(self, data: bytes, name: str, max_bytes: int, what: str) -> None:
        self.name, self.what = name, what
        self.budget = UNPACK_RATIO * max_bytes
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.members = {info.filename: info for info in self.archive.infolist()}
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise PlancError(f"is not a readable {what} (a damaged zip package)", name) from None
        declared = sum(info.file_size for info in self.members.values())
        if declared > self.budget:
            raise self._too_big(declared)

    def __contains__(self, part: str) -> bool:
        return part in self.members

    def read(self, part: str) -> bytes:
        """The bytes of ``part``, inflated chunk by chunk within the budget."""
        info = self.members[part]
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > self.budget:
                        raise self._too_big(size, part)
                    chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            ValueError,
            OSError,
            EOFError,
            NotImplementedError,
        ):
            raise PlancError(
                f"is not a readable {self.what} (part {part} is damaged)", self.name
            ) from None
        except RuntimeError:  # zipfile's word for a password-protected part
            raise PlancError(
                f"is not a readable {self.what} (part {part} is encrypted)", self.name
            ) from None
        self.budget -= size
        return b"".join(chunks)

    def _too_big(self, size: int, part: str | None = None) -> PlancError:
        if part is None:
            return PlancError(
                f"unpacks to {size:,} bytes, over the {self.budget:,}-byte limit", self.name
            )
        return PlancError(
            f"part {part} unpacks to more than {size - 1:,} bytes, over the "
            f"{self.budget:,}-byte limit",
            self.name,
        )
