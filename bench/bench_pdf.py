"""Reading PDFs: pages a second, and 20-page plans compiled as a whole process.

The 20-odd-page PDF is the bundled 南阳 sample printed twice over as GB/T 9704 sets it (28
characters a line, 22 lines a page, a running header, `— N —` at the foot), made with
reportlab's built-in STSong-Light; a 20-page task table ruled on every page shows what
pdfplumber's table finder costs. The real PDFs and the OFD of ../shared/corpus/formats are
timed too when that folder is there. Not a test: run by ``make bench``.
"""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planc.errors import PlancError  # noqa: E402
from planc.read import ofd, pdf  # noqa: E402
from tests.test_read_pdf import (  # noqa: E402
    FONT,
    PAGE_H,
    TOP,
    _canvas,
    _ruled_table,
    render_gbt9704,
)

FORMATS = ROOT.parent / "shared" / "corpus" / "formats"
LIMIT = 1 << 28
# A whole process: start Python, read the PDF, compile the plan.
WHOLE = (
    "import sys; from planc.read import pdf; from planc.compile import compile_text; "
    "data = open(sys.argv[1], 'rb').read(); "
    "plan = compile_text(pdf.read(data, sys.argv[1], 1 << 28).text); print(len(plan.clauses))"
)


def pages_per_second(reader: object, data: bytes, name: str, runs: int = 3) -> tuple[int, float]:
    """Pages a second of CPU time (the machine may be shared: wall time would say little)."""
    times = []
    pages = 0
    for _ in range(runs):
        start = time.process_time()
        doc = reader.read(data, name, LIMIT)  # type: ignore[attr-defined]
        times.append(time.process_time() - start)
        pages = len(doc.page_starts)
    return pages, pages / max(statistics.median(times), 1e-9)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(data: bytes) -> tuple[float, float]:
    """Wall and CPU seconds of a fresh Python reading ``data`` and compiling the plan."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(data)
        walls, cpus = [], []
        for _ in range(3):
            start, used = time.perf_counter(), _children_cpu()
            command = [sys.executable, "-c", WHOLE, str(path)]
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - used)
    return statistics.median(walls), statistics.median(cpus)


def task_table(pages: int) -> bytes:
    """A task table (序号/重点任务/牵头单位/完成时限) ruled on every page."""
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    for page in range(pages):
        pdf_canvas.setFont(FONT, 10.5)
        rows = [["序号", "重点任务", "牵头单位", "完成时限"]] + [
            [str(page * 25 + n), f"建成第{page * 25 + n}个社区医院", "市卫健委", "2024年底前"]
            for n in range(1, 26)
        ]
        _ruled_table(pdf_canvas, PAGE_H - TOP, rows, [40.0, 200.0, 120.0, 100.0])
        pdf_canvas.showPage()
    pdf_canvas.save()
    return buffer.getvalue()


def main() -> int:
    sample = (ROOT / "sources" / "2023" / "nanyang-tcm-2023.txt").read_text(encoding="utf-8")
    data = render_gbt9704(sample + "\n" + sample, header="南阳市中医药发展工作委员会办公室")
    pages, rate = pages_per_second(pdf, data, "nanyang-x2.pdf")
    print(f"GB/T 9704 print of the sample, {pages} pages: {rate:6.1f} pages/s (read, CPU)")
    wall, cpu = whole_process(data)
    print(f"  read + compile as a whole process: {wall:.2f} s wall, {cpu:.2f} s CPU (bar: 3 s)")
    tables = task_table(20)
    pages, rate = pages_per_second(pdf, tables, "tables.pdf", runs=1)
    print(f"A ruled task table on each of {pages} pages: {rate:6.1f} pages/s (read, CPU)")
    wall, cpu = whole_process(tables)
    print(f"  read + compile as a whole process: {wall:.2f} s wall, {cpu:.2f} s CPU")
    if not FORMATS.exists():
        print(f"(no {FORMATS}: real files skipped)")
        return 0
    jiyuan = FORMATS.parent / "jiyuan-2023-market-confidence-measures.txt"
    if jiyuan.exists():  # a gold plan dense with deadlines, targets and owners
        data = render_gbt9704(jiyuan.read_text(encoding="utf-8"), header="济源示范区")
        wall, cpu = whole_process(data)
        pages = len(pdf.read(data, "jiyuan.pdf", LIMIT).page_starts)
        print(f"GB/T 9704 print of jiyuan-2023, {pages} pages, read + compile as a whole process:")
        print(f"  {wall:.2f} s wall, {cpu:.2f} s CPU (bar: 3 s)")
    for path in sorted(FORMATS.glob("*.pdf")) + sorted(FORMATS.glob("*.ofd")):
        reader = ofd if path.suffix == ".ofd" else pdf
        try:
            pages, rate = pages_per_second(reader, path.read_bytes(), path.name)
        except PlancError as error:  # a refused scan is a figure too
            print(f"{path.name[:60]:60} refused: {error}"[:150])
            continue
        print(f"{path.name[:60]:60} {pages:3} pages {rate:6.1f} pages/s (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
