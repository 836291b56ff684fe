"""``planc build``: compile a folder of plans into a mirrored folder, in parallel, incrementally.

Workers compile a plan, write its output themselves (atomically) and send back four counts, so
the parent does little more than bookkeeping and ``-jN`` scales with cores. The manifest in the
output folder records each plan's size, mtime and content hash under the planc version: a plan
whose size and mtime are unchanged is not even read, one whose hash is unchanged is not compiled.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planc import __version__
from planc.emit import write_atomic
from planc.errors import PlancError
from planc.outputs import check_format, compile_file, render_plan
from planc.source import DEFAULT_MAX_BYTES

MANIFEST = ".planc-build.json"
PLAN_SUFFIXES = (".txt", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".html", ".htm")
COUNTED = ("clauses", "targets", "deadlines", "owners")
Counts = tuple[int, int, int, int]  # in COUNTED order


@dataclass(frozen=True, slots=True)
class Job:
    """One plan to compile: everything a worker process needs, and nothing heavy to pickle."""

    source: str
    output: str
    fmt: str
    max_bytes: int


@dataclass(slots=True)
class Summary:
    compiled: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    totals: list[int] = field(default_factory=lambda: [0] * len(COUNTED))
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def plans(self) -> int:
        return self.compiled + self.unchanged

    def add(self, counts: Counts | list[int]) -> None:
        self.totals = [a + b for a, b in zip(self.totals, counts, strict=True)]


def find_plans(sources: Path, skip: Path | None = None) -> list[Path]:
    """Plan files under ``sources``, relative to it, sorted; hidden files and folders are not."""
    found: list[Path] = []
    skip_resolved = skip.resolve() if skip else None
    for folder, dirs, files in os.walk(sources):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip_resolved
        )
        for name in sorted(files):
            if name.startswith((".", "~$")) or not name.lower().endswith(PLAN_SUFFIXES):
                continue  # "~$x.docx" is Word's lock file, not a plan
            if not (here / name).is_file():
                continue  # a FIFO or a device named like a plan would never end
            found.append((here / name).relative_to(sources))
    return found


def compile_one(job: Job) -> tuple[Counts | None, str | None]:
    """Compile and write one plan; return its counts, or the one-line reason it failed."""
    try:
        plan = compile_file(job.source, job.max_bytes)
        write_atomic(Path(job.output), render_plan(plan, job.fmt))
    except PlancError as error:
        return None, str(error)
    except Exception as error:  # a bug on one plan must not stop the build of the others
        return None, f"{job.source}: internal error: {type(error).__name__}: {error}"
    clauses = list(plan.walk())
    return (
        len(clauses),
        sum(len(c.targets) for c in clauses),
        sum(len(c.deadlines) for c in clauses),
        sum(len(c.owners) for c in clauses),
    ), None


def _file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None  # the compile step reports why it cannot be read


class Manifest:
    """``out/.planc-build.json``: what each output was compiled from, to skip what is unchanged.

    Entries are keyed by output path, so builds of one folder in several formats coexist.
    """

    def __init__(self, out: Path, fresh: bool = False) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.old: dict[str, dict[str, Any]] = {}
        self.written_ns = 0  # the manifest's own mtime: what is older was seen by the last build
        self.entries: dict[str, dict[str, Any]] = {}  # the manifest this build writes
        self.claimed: set[str] = set()  # the outputs this build is about
        if not fresh:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_bytes())
            written_ns = self.path.stat().st_mtime_ns
        except (OSError, ValueError):
            return  # none yet, or damaged: build everything
        if isinstance(data, dict) and data.get("planc") == __version__:
            plans = data.get("plans")
            if isinstance(plans, dict):
                self.old, self.written_ns = plans, written_ns

    def keep_if_unchanged(self, key: str, entry: dict[str, Any], source: Path) -> bool:
        """Whether output ``key`` is up to date with ``source``; if it is, keep its entry.

        Same size and mtime, older than the manifest (an edit in the same clock tick as the
        last build would not show in the mtime), trusts the record; otherwise the content hash
        decides, and is left in ``entry["sha256"]``.
        """
        known = self.old.get(key)
        if not known or known.get("source") != entry["source"] or not (self.out / key).exists():
            return False
        same_stat = (known.get("size"), known.get("mtime_ns")) == (entry["size"], entry["mtime_ns"])
        trusted = same_stat and entry["mtime_ns"] < self.written_ns
        entry["sha256"] = known.get("sha256") if trusted else _file_digest(source)
        counts = known.get("counts")
        if entry["sha256"] != known.get("sha256") or len(counts or ()) != len(COUNTED):
            return False
        self.entries[key] = entry | {"counts": counts}
        return True

    def save(self) -> None:
        """Write the new manifest if it differs; entries of other formats and folders stay."""
        for key, entry in self.old.items():
            if key not in self.claimed and (self.out / key).exists():
                self.entries[key] = entry
        if self.entries != self.old or not self.written_ns:
            payload = {"planc": __version__, "plans": dict(sorted(self.entries.items()))}
            write_atomic(self.path, json.dumps(payload, ensure_ascii=False) + "\n")


def build(
    sources: Path,
    out: Path,
    fmt: str = "yaml",
    jobs: int | None = None,
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
) -> Summary:
    """Compile every plan under ``sources`` into ``out``; bad plans land in ``failures``."""
    started = time.perf_counter()
    fmt = check_format(fmt)
    if jobs is not None and jobs < 1:
        raise PlancError(f"-j must be 1 or more, not {jobs}")
    if sources.exists() and not sources.is_dir():
        raise PlancError(
            "is a file, not a folder of plans (use planc parse for one plan)", str(sources)
        )
    if not sources.is_dir():
        raise PlancError("no such folder of plans", str(sources))
    if out.exists() and not out.is_dir():
        raise PlancError("exists and is not a folder", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlancError(f"cannot create: {exc.strerror or exc}", str(out)) from None

    manifest = Manifest(out, fresh=force)
    summary = Summary()
    with _DeferredInterrupt() as interrupt:
        pending = _stale(sources, fmt, max_bytes, manifest, summary)

        def finished(job: Job, counts: Counts | None, error: str | None) -> None:
            if counts is None:
                summary.failures.append(error or f"{job.source}: failed")
                return
            summary.compiled += 1
            summary.add(counts)
            entry = pending[job]
            if entry["sha256"]:
                key = Path(job.output).relative_to(out).as_posix()
                manifest.entries[key] = entry | {"counts": counts}

        # Largest first, so one big plan does not finish alone at the end.
        order = sorted(pending, key=lambda job: -pending[job]["size"])
        workers = min(jobs or _cores(), len(order))
        try:
            with _progress_bar(len(order), progress) as advance:
                _run(order, workers, finished, advance, interrupt)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            try:
                manifest.save()
            except PlancError as error:
                summary.failures.append(str(error))
    summary.failures.sort()
    summary.seconds = time.perf_counter() - started
    return summary


def _cores() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _stale(
    sources: Path, fmt: str, max_bytes: int, manifest: Manifest, summary: Summary
) -> dict[Job, dict[str, Any]]:
    """The plans to compile, each with its manifest entry to be; counts the unchanged ones."""
    pending: dict[Job, dict[str, Any]] = {}
    first_source: dict[str, Path] = {}
    for rel in find_plans(sources, skip=manifest.out):
        key = rel.with_suffix(f".{fmt}").as_posix()
        source, target = sources / rel, manifest.out / key
        if key in first_source:
            other = sources / first_source[key]
            summary.failures.append(f"{source}: same output {target} as {other}")
            continue
        first_source[key] = rel
        manifest.claimed.add(key)
        try:
            st = source.stat()
        except OSError as exc:
            summary.failures.append(f"{source}: cannot read: {exc.strerror or exc}")
            continue
        entry = {"source": rel.as_posix(), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if manifest.keep_if_unchanged(key, entry, source):
            summary.unchanged += 1
            summary.add(manifest.entries[key]["counts"])
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            summary.failures.append(f"{target.parent}: cannot create: {exc.strerror or exc}")
            continue
        entry["sha256"] = entry.get("sha256") or _file_digest(source)
        pending[Job(str(source), str(target), fmt, max_bytes)] = entry
    return pending


class _DeferredInterrupt:
    """Ctrl-C asks the build to stop after the plans in hand; a second Ctrl-C stops at once.

    A KeyboardInterrupt raised at a random point can be lost (Python ignores one raised inside
    fork's handlers), so the first SIGINT only sets ``requested``, which the build checks
    between plans.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None

    def __enter__(self) -> _DeferredInterrupt:
        try:
            previous = signal.getsignal(signal.SIGINT)
            if previous is not signal.SIG_IGN:  # started with Ctrl-C ignored (nohup): respect it
                self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: signals are not ours to handle
            pass
        return self

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _run(
    jobs: list[Job],
    workers: int,
    finished: Callable[[Job, Counts | None, str | None], None],
    advance: Callable[[str], None],
    interrupt: _DeferredInterrupt,
) -> None:
    """Compile ``jobs`` in-process (one worker) or in a process pool; report each as it ends."""

    def serially(todo: list[Job]) -> None:
        for job in todo:
            if interrupt.requested:
                raise KeyboardInterrupt
            finished(job, *compile_one(job))
            advance(job.source)

    if workers <= 1:
        serially(jobs)
        return
    import multiprocessing

    context = None  # the platform's default start method, except:
    if sys.platform == "linux":
        # fork shares the parent's memory with the workers: planc as imported, and whatever
        # the extractors build lazily (dictionaries, tokenizers) while the parent compiles the
        # first plan, so no worker builds them again.
        context = multiprocessing.get_context("fork")
        serially(jobs[:1])
        jobs = jobs[1:]
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_sigint) as pool:
        futures = {pool.submit(compile_one, job): job for job in jobs}
        waiting = set(futures)
        try:
            while waiting and not interrupt.requested:
                done, waiting = wait(waiting, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in done:
                    job = futures[future]
                    try:
                        finished(job, *future.result())
                    except Exception as error:  # the worker died (killed, out of memory)
                        finished(job, None, f"{job.source}: worker failed: {type(error).__name__}")
                    advance(job.source)
        except KeyboardInterrupt:  # a second Ctrl-C: still drop what has not started
            interrupt.requested = True
        if interrupt.requested:
            # Workers ignore SIGINT: the plans in hand finish (whole files), the rest are
            # dropped; those that finished meanwhile are recorded in the manifest.
            pool.shutdown(wait=True, cancel_futures=True)
            for future in waiting:
                if future.done() and not future.cancelled() and future.exception() is None:
                    finished(futures[future], *future.result())
            raise KeyboardInterrupt


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _progress_bar(total: int, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr, or nothing; rich is imported only when it is shown."""
    if not enabled or total < 2:
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("compiling", total=total)
        yield lambda name: bar.update(task, advance=1, description=Path(name).name[:32])


def report(summary: Summary, out: Path, fmt: str, fancy: bool) -> None:
    """Failures, one line each on stderr; then the summary table on stdout."""
    for failure in summary.failures:
        print(f"planc: {failure}", file=sys.stderr)
    headline = (
        f"planc build → {out} ({fmt}): {summary.compiled} compiled, {summary.unchanged} unchanged, "
        f"{len(summary.failures)} failed in {summary.seconds:.2f} s"
    )
    if summary.interrupted:
        headline += " (interrupted)"
    values = [summary.plans, *summary.totals, len(summary.failures)]
    names = ("plans", *COUNTED, "failures")
    if fancy:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for name in names:
            table.add_column(name, justify="right")
        table.add_row(*(f"{value:,}" for value in values))
        console = Console()
        console.print(headline, markup=False, highlight=False, soft_wrap=True)
        console.print(table)
        return
    widths = [max(len(name), len(f"{value:,}")) for name, value in zip(names, values, strict=True)]
    print(headline)
    print("  ".join(name.rjust(w) for name, w in zip(names, widths, strict=True)))
    print("  ".join(f"{value:,}".rjust(w) for value, w in zip(values, widths, strict=True)))


def run_build(
    sources: Path, out: Path, fmt: str, jobs: int | None, force: bool, max_bytes: int
) -> int:
    """The command: 0 if every plan compiled, 1 if any failed, 130 if interrupted."""
    try:
        summary = build(sources, out, fmt, jobs, force, max_bytes, progress=sys.stderr.isatty())
    except KeyboardInterrupt:  # while listing the plans: nothing was written yet
        print("planc: interrupted", file=sys.stderr)
        return 130
    report(summary, out, fmt.lower(), fancy=sys.stdout.isatty())
    if fmt.lower() in ("xlsx", "ics") and not summary.interrupted:
        from planc.ledger_update import combine_build

        combined = combine_build(out, fmt.lower())
        print(
            f"planc build → {combined}: every plan in one {'ledger' if fmt.lower() == 'xlsx' else 'calendar'}"
        )
    if summary.interrupted:
        print("planc: interrupted", file=sys.stderr)
        return 130
    return 1 if summary.failures else 0
