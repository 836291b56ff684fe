"""Old Word (.doc) and WPS (.wps) files, through a tool that reads them, each with a time limit.

Both are OLE2 compound files in a binary format that planc does not parse itself: ``antiword``
(small, on most distributions: ``apt-get install antiword``) gives the text; failing that,
LibreOffice converts the file to .docx, which planc reads. Without either, one line says what
to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from planc.errors import PlancError
from planc.read.document import Block, Document
from planc.read.package import UNPACK_RATIO

TIMEOUT_S = 25  # per tool run (antiword, then LibreOffice): both within the 60 s bound


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """The text of a .doc/.wps, by antiword, else by LibreOffice's conversion to .docx."""
    antiword = shutil.which("antiword")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not antiword and not office:
        raise PlancError(
            "is an old Word .doc or WPS file: install antiword (apt-get install antiword) or "
            "LibreOffice to read it, or save it as .docx",
            name,
        )
    with tempfile.TemporaryDirectory(prefix="planc-doc-") as folder:
        source = Path(folder) / "plan.doc"
        source.write_bytes(data)
        failure = ""
        if antiword:
            code, out, err = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(source)], name)
            if code == 0 and out.strip():
                if len(out) > UNPACK_RATIO * max_bytes:
                    raise PlancError("gives more text than the --max-bytes limit allows", name)
                return _document(out.decode("utf-8", "replace"))
            failure = f"antiword: {_first_line(err) or 'no text'}"
        if office:
            return _convert(office, source, Path(folder), name, max_bytes)
        raise PlancError(f"is not a readable .doc ({failure})", name)


def _run(command: list[str], name: str, cwd: str | None = None) -> tuple[int, bytes, bytes]:
    """Run a tool in its own process group; past the time limit, kill the whole group."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PlancError(
                f"could not be read in {TIMEOUT_S} s by {Path(command[0]).name}", name
            ) from None
    return process.returncode, out, err


def _convert(office: str, source: Path, folder: Path, name: str, max_bytes: int) -> Document:
    from planc.read import docx

    profile = (folder / "profile").as_uri()  # its own profile: never a running user's office
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx"]
    code, _, err = _run([*command, "--outdir", str(folder), str(source)], name, str(folder))
    converted = folder / "plan.docx"
    if code != 0 or not converted.is_file():
        reason = _first_line(err) or f"exit {code}"
        raise PlancError(f"is not a readable .doc (LibreOffice: {reason})", name)
    document = docx.read(converted.read_bytes(), name, max_bytes)
    return Document(document.text, "doc", document.encoding, document.blocks, document.meta)


def _first_line(err: bytes) -> str:
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return lines[0].strip() if lines else ""


def _document(output: str) -> Document:
    """antiword's text: a paragraph a line; a table row as ``|cell|cell|`` becomes cells."""
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    blank = True
    for raw in output.replace("\r", "").split("\n"):
        line = raw.strip(" \u3000").replace("\t", " ")
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            cells = [cell.strip() for cell in line[1:-1].split("|")]
            line = "\t".join(cells)
            spans, start = [], offset
            for cell in cells:
                spans.append((start, start + len(cell)))
                start += len(cell) + 1
            block = Block("row", offset, offset + len(line), tuple(spans))
        elif not line and blank:
            continue
        else:
            block = Block("paragraph", offset, offset + len(line))
        blank = not line
        blocks.append(block)
        parts.append(line + "\n")
        offset += len(line) + 1
    return Document(text="".join(parts), format="doc", encoding="utf-8", blocks=tuple(blocks))
