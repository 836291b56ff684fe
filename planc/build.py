"""``planc build``: compile a folder of plans into a mirrored folder, in parallel, incrementally.

Workers compile plans in chunks and write each output beside its place under a temporary name;
the parent puts them in place in batches, with one flush to disk for a batch instead of one per
file (``planc.emit.atomic``), and keeps the books, so ``-jN`` scales with cores.

The manifest in the output folder records, for each output, the hash of the source bytes that
were actually compiled (read once, hashed, compiled) and the status and hash of the output
written. A plan is skipped only if its source still has those bytes and its output is still
that file: a build killed half-way, a source edited while it was read, an output edited by
hand, are all compiled again. A file whose size, mtime, ctime and inode are all as recorded is
not read again; any other is hashed. The ctime is the kernel's to set (``touch`` and ``cp -p``
cannot put it back), and a source's status is recorded only once it has settled
(``RECENT_NS``): a change within the same tick of the file system's clock would not show. An
output's status is taken as planc puts it in place. A rebuild with nothing to do therefore
reads no file but the manifest, and never imports the compiler.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planc import __version__, limits
from planc.emit.atomic import Staged, commit_atomic, stage_atomic, write_atomic
from planc.errors import PlancError
from planc.outputs import check_format
from planc.paths import PLAN_SUFFIXES
from planc.read import DEFAULT_MAX_BYTES

# The compiler, the model and the readers are imported where a plan is compiled
# (``compile_one``): a rebuild with nothing to do needs none of them.

MANIFEST = ".planc-build.json"
MANIFEST_MAX_BYTES = 256 * 1024 * 1024  # some 1,000 times the entries of the largest real build
CHUNK_MAX = 8  # plans per task: a tenth of a second or two, all a Ctrl-C waits for
COUNTED = ("clauses", "targets", "deadlines", "owners")
Counts = tuple[int, int, int, int]  # in COUNTED order


@dataclass(frozen=True, slots=True)
class Job:
    """One plan to compile: everything a worker process needs, and nothing heavy to pickle."""

    source: str
    output: str
    fmt: str
    max_bytes: int
    limits: limits.Limits = limits.UNLIMITED


@dataclass(slots=True)
class Summary:
    compiled: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    totals: list[int] = field(default_factory=lambda: [0] * len(COUNTED))
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def plans(self) -> int:
        return self.compiled + self.unchanged

    def add(self, counts: Counts | list[int]) -> None:
        for index, count in enumerate(counts):
            self.totals[index] += count


def find_plans(
    sources: Path, skip: Path | None = None, warnings: list[str] | None = None
) -> list[str]:
    """Plan files under ``sources``, as paths relative to it (``2023/x.txt``), sorted; hidden
    files and folders are not.

    A link to a file outside ``sources`` is left out, with a warning: a link named like a plan
    must not publish whatever it points at (``passwd.txt`` → the system's account file). A link
    to a folder is not followed. Depth first, each folder's plans before its subfolders', as
    ``os.walk`` goes; but with no recursion, and the kind of each entry known from its listing,
    not from a ``stat`` of each file. Strings, not ``Path``s: a rebuild with nothing to do
    spends most of its time on paths.
    """
    found: list[str] = []
    skip_resolved = skip.resolve() if skip else None
    root = sources.resolve()
    folders = [(os.fspath(sources), "")]
    while folders:
        here, relative = folders.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed has no plans
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if _is_folder(entry):
                hidden = name.startswith(".") or entry.is_symlink()
                if not hidden and (
                    skip_resolved is None or Path(entry.path).resolve() != skip_resolved
                ):
                    subfolders.append((entry.path, os.path.join(relative, name)))
                continue
            if name.startswith((".", "~$")) or not name.lower().endswith(PLAN_SUFFIXES):
                continue  # "~$x.docx" is Word's lock file, not a plan
            if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                if warnings is not None:
                    warnings.append(f"{entry.path}: links outside {sources}, skipped")
                continue
            if not _is_file(entry):
                continue  # a FIFO or a device named like a plan would never end
            found.append(os.path.join(relative, name))
        folders.extend(reversed(subfolders))
    return found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


Record = dict[str, Any]  # what a worker reports of the bytes it compiled and the file it wrote
STATUS = ("size", "mtime_ns", "ctime_ns", "ino")  # what a record keeps of a file's status
_status_of = operator.itemgetter(*STATUS)
# A file changed this recently may change again within the same tick of the file system's
# clock (milliseconds; two seconds on FAT) and keep its status: only its hash is recorded.
RECENT_NS = 3_000_000_000


@dataclass(slots=True)
class Outcome:
    """What became of one plan: its counts, or the one-line reason it failed; a record of the
    source bytes compiled and the output's hash, for the manifest; the output, not yet in place."""

    job: Job
    counts: Counts | None = None
    error: str | None = None
    record: Record | None = None
    staged: Staged | None = None


def compile_one(job: Job) -> Outcome:
    """Compile one plan and write its output under a temporary name beside its place."""
    from planc.compile import compile_document
    from planc.outputs import render_plan
    from planc.read import read

    try:
        limits.configure(job.limits)
        data, source_status = read_plan_bytes(job.source, job.max_bytes)
        plan = compile_document(read(data, job.source, job.max_bytes), path=job.source)
        rendered = render_plan(plan, job.fmt, encoded=True)
        payload = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
        staged = stage_atomic(Path(job.output), payload)
    except PlancError as error:
        return Outcome(job, error=str(error))
    except Exception as error:  # a bug on one plan must not stop the build of the others
        return Outcome(job, error=f"{job.source}: internal error: {type(error).__name__}: {error}")
    clauses = list(plan.walk())
    counts = (
        len(clauses),
        sum(len(c.targets) for c in clauses),
        sum(len(c.deadlines) for c in clauses),
        sum(len(c.owners) for c in clauses),
    )
    record = source_status | {
        "sha256": hashlib.sha256(data).hexdigest(),
        "output": {"sha256": hashlib.sha256(payload).hexdigest()},  # the status comes when in place
    }
    return Outcome(job, counts, None, record, staged)


def compile_chunk(jobs: list[Job]) -> list[Outcome]:
    """A worker's task: several plans, so that sending work and results costs little."""
    return [compile_one(job) for job in jobs]


def read_plan_bytes(path: str, max_bytes: int) -> tuple[bytes, Record]:
    """The bytes of a plan, and its status as it was while it was read.

    If the file changed while it was read, or so recently that it may change again unseen, its
    status is not recorded (all -1), so the next build hashes it rather than trust a status
    that may not match what was compiled.
    """
    from planc.read import read_file

    data, before, after = read_file(path, max_bytes)
    steady = _status(before) == _status(after) and after.st_size == len(data)
    status = _status(after)
    return data, status if steady and _settled(status) else _UNKNOWN


_UNKNOWN: Record = dict.fromkeys(STATUS, -1)


def _status(info: os.stat_result) -> Record:
    return {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "ino": info.st_ino,
    }


def _settled(status: Record) -> bool:
    """Whether the file was last changed (written, or its status changed) long enough ago that
    a further change must show in its status."""
    return max(status["mtime_ns"], status["ctime_ns"]) < time.time_ns() - RECENT_NS


def _file_digest(path: str) -> str | None:
    """The SHA-256 of a regular file's bytes; None if it is not one or cannot be read."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _is_record(record: object) -> bool:
    return (
        isinstance(record, dict)
        and all(type(record.get(k)) is int for k in STATUS)
        and isinstance(record.get("sha256"), str)
    )


def _is_entry(entry: object) -> bool:
    """A manifest entry as this version writes it: anything else is as good as none."""
    if not isinstance(entry, dict) or not _is_record(entry):
        return False
    counts = entry.get("counts")
    return (
        isinstance(entry.get("source"), str)
        and _is_record(entry.get("output"))
        and isinstance(counts, list)
        and len(counts) == len(COUNTED)
        and all(type(c) is int and c >= 0 for c in counts)
    )


def read_manifest_bytes(path: Path) -> bytes | None:
    """The manifest's bytes, from a regular file of sane size; else None.

    Never follows a link or opens a FIFO or a device (``/dev/zero`` would never end).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_MAX_BYTES:
                return None
            data = handle.read(MANIFEST_MAX_BYTES + 1)
        except OSError:
            return None
    if len(data) > MANIFEST_MAX_BYTES:
        return None
    return data


class Manifest:
    """``out/.planc-build.json``: what each output was compiled from, to skip what is unchanged.

    Entries are keyed by output path, so builds of one folder in several formats coexist. A
    damaged manifest, or a damaged entry, means those plans are compiled again.
    """

    def __init__(self, out: Path, fresh: bool = False) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.old: dict[str, Record] = {}
        self.loaded = False  # a manifest of this version was read
        self.entries: dict[str, Record] = {}  # the manifest this build writes
        self.claimed: set[str] = set()  # the outputs this build is about
        if not fresh:
            self._load()

    def _load(self) -> None:
        found = read_manifest_bytes(self.path)
        if found is None:
            return  # none yet, or not a file planc wrote: build everything
        try:
            data = json.loads(found)
        except (ValueError, RecursionError):
            return  # damaged: build everything
        if isinstance(data, dict) and data.get("planc") == __version__:
            plans = data.get("plans")
            if isinstance(plans, dict):
                self.old = {key: entry for key, entry in plans.items() if _is_entry(entry)}
                self.loaded = True

    def keep_if_unchanged(self, key: str, entry: Record, source: str) -> bool:
        """Whether output ``key`` is up to date with ``source``; if it is, keep its entry.

        Up to date: the source holds the bytes last compiled, and the output is the file last
        written. A status (size, mtime, ctime, inode) as recorded trusts the record; otherwise
        the content hash decides, and the status of a file found unchanged is recorded (once
        settled) so that the next build need not read it again.
        """
        known = self.old.get(key)
        if not known or known["source"] != entry["source"]:
            return False
        output = self._current(_join(os.fspath(self.out), key), known["output"])
        if output is None:
            return False
        status = self._current(source, known, entry)
        if status is None:
            return False
        self.entries[key] = known | status | {"output": known["output"] | output}
        return True

    def _current(self, path: str, known: Record, seen: Record | None = None) -> Record | None:
        """The status to record of ``path`` if it still holds the bytes hashed in ``known`` (a
        record of it); None if it does not. ``seen``: its status, if already taken."""
        if seen is None:
            try:
                info = os.lstat(path)
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode):
                return None
            seen = _status(info)
        if _status_of(known) == _status_of(seen):
            return seen
        if known["size"] >= 0 and seen["size"] != known["size"]:
            return None  # a size that differs: no need to read the file
        if _file_digest(path) != known["sha256"]:
            return None
        return seen if _settled(seen) else _UNKNOWN

    def save(self) -> None:
        """Write the new manifest if it differs; entries of other formats and folders stay."""
        for key, entry in self.old.items():
            if key not in self.claimed and (self.out / key).exists():
                self.entries[key] = entry
        if self.entries != self.old or not self.loaded:
            payload = {"planc": __version__, "plans": dict(sorted(self.entries.items()))}
            # ASCII: a file name that is not UTF-8 (held as lone surrogates) is escaped too.
            write_atomic(self.path, json.dumps(payload) + "\n")


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
    caps = limits.active()
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
        pending = _stale(sources, fmt, max_bytes, caps, manifest, summary)

        def finished(outcome: Outcome) -> None:
            job, counts, record = outcome.job, outcome.counts, outcome.record
            if counts is None:
                summary.failures.append(outcome.error or f"{job.source}: failed")
                return
            summary.compiled += 1
            summary.add(counts)
            if record is not None:
                key = Path(job.output).relative_to(out).as_posix()
                manifest.entries[key] = pending[job] | record | {"counts": list(counts)}

        # Largest first, so one big plan does not finish alone at the end.
        order = sorted(pending, key=lambda job: -pending[job]["size"])
        workers = min(jobs or _cores(), _cores(), len(order))  # more would only contend
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
    sources: Path,
    fmt: str,
    max_bytes: int,
    caps: limits.Limits,
    manifest: Manifest,
    summary: Summary,
) -> dict[Job, Record]:
    """The plans to compile, each with its manifest entry to be; counts the unchanged ones."""
    pending: dict[Job, Record] = {}
    first_source: dict[str, str] = {}
    source_root, out_root = os.fspath(sources), os.fspath(manifest.out)
    for rel in find_plans(sources, skip=manifest.out, warnings=summary.warnings):
        name = rel.replace(os.sep, "/")  # as the manifest keeps it, on any system
        key = f"{os.path.splitext(name)[0]}.{fmt}"
        source, target = _join(source_root, rel), _join(out_root, key)
        if key in first_source:
            other = _join(source_root, first_source[key])
            summary.failures.append(f"{source}: same output {target} as {other}")
            continue
        first_source[key] = rel
        manifest.claimed.add(key)
        try:
            st = os.stat(source)
        except OSError as exc:
            summary.failures.append(f"{source}: cannot read: {exc.strerror or exc}")
            continue
        entry = {"source": name} | _status(st)
        if manifest.keep_if_unchanged(key, entry, source):
            summary.unchanged += 1
            summary.add(manifest.entries[key]["counts"])
            continue
        folder = os.path.dirname(target)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            summary.failures.append(f"{folder}: cannot create: {exc.strerror or exc}")
            continue
        job = Job(source, target, fmt, max_bytes, caps)
        pending[job] = {"source": name, "size": st.st_size}  # the worker adds the rest
    return pending


def _join(folder: str, relative: str) -> str:
    """``folder/relative`` as ``Path`` would spell it: ``.`` adds nothing (a plan's path is
    written into its output)."""
    return relative if folder == "." else os.path.join(folder, relative)


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


class _Committer:
    """Puts the outputs that workers staged in place, in batches: one flush to disk per batch.

    Batches double in size from one plan (the first output appears at once) up to
    ``BATCH_MAX``, and wait no longer than ``BATCH_SECONDS``, so a build killed half-way loses
    little work. A flush costs some milliseconds, during which a serial build compiles
    nothing: a few dozen of them in a build of 1,000 plans. Each plan is reported once its
    output is in place, or once it failed.
    """

    BATCH_MAX = 128
    BATCH_SECONDS = 2.0

    def __init__(self, finished: Callable[[Outcome], None], advance: Callable[[str], None]):
        self._finished = finished
        self._advance = advance
        self._batch: list[Outcome] = []
        self._limit = 1
        self._since = time.monotonic()

    def add(self, outcome: Outcome) -> None:
        if outcome.staged is None:  # failed: nothing to put in place
            self._report(outcome)
            return
        if not self._batch:
            self._since = time.monotonic()
        self._batch.append(outcome)
        if len(self._batch) >= self._limit:
            self.commit()
            self._limit = min(self._limit * 2, self.BATCH_MAX)
        else:
            self.tick()

    def tick(self) -> None:
        """Commit the batch if it has waited long enough."""
        if self._batch and time.monotonic() - self._since >= self.BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        batch, self._batch = self._batch, []
        staged = [outcome.staged for outcome in batch if outcome.staged is not None]
        for outcome, placed in zip(batch, commit_atomic(staged), strict=True):
            if isinstance(placed, PlancError):
                outcome.counts, outcome.error, outcome.record = None, str(placed), None
            elif outcome.record is not None:
                outcome.record["output"] |= _status(placed)
            self._report(outcome)

    def _report(self, outcome: Outcome) -> None:
        self._finished(outcome)
        self._advance(outcome.job.source)


def _run(
    jobs: list[Job],
    workers: int,
    finished: Callable[[Outcome], None],
    advance: Callable[[str], None],
    interrupt: _DeferredInterrupt,
) -> None:
    """Compile ``jobs`` in-process (one worker) or in a process pool; report each as it ends.

    Whatever happens, the outputs already staged are put in place (they are whole files).
    """
    committer = _Committer(finished, advance)
    try:
        if workers <= 1:
            for job in jobs:
                if interrupt.requested:
                    raise KeyboardInterrupt
                committer.add(compile_one(job))
        else:
            _run_pool(jobs, workers, committer, interrupt)
    finally:
        committer.commit()


def _run_pool(
    jobs: list[Job], workers: int, committer: _Committer, interrupt: _DeferredInterrupt
) -> None:
    import gc
    import multiprocessing
    import queue
    from concurrent.futures import Future, ProcessPoolExecutor

    context = None  # the platform's default start method, except:
    if sys.platform == "linux":
        # fork shares the parent's memory with the workers: planc as imported, and whatever
        # the extractors build lazily (dictionaries, tokenizers) while the parent compiles the
        # first plan, so no worker imports or builds them again.
        context = multiprocessing.get_context("fork")
        committer.add(compile_one(jobs[0]))
        jobs = jobs[1:]
    done: queue.SimpleQueue[Future[list[Outcome]]] = queue.SimpleQueue()
    chunks: dict[Future[list[Outcome]], list[Job]] = {}
    gc.freeze()  # the workers never collect what they inherit: fewer pages copied on write
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_sigint) as pool:
            for chunk in _chunks(jobs, workers):
                future = pool.submit(compile_chunk, chunk)
                chunks[future] = chunk
                future.add_done_callback(done.put)
            gc.unfreeze()
            left = len(chunks)
            try:
                while left and not interrupt.requested:
                    try:
                        future = done.get(timeout=0.1)
                    except queue.Empty:
                        committer.tick()
                        continue
                    left -= 1
                    for outcome in _chunk_outcomes(future, chunks.pop(future)):
                        committer.add(outcome)
            except KeyboardInterrupt:  # a second Ctrl-C: still drop what has not started
                interrupt.requested = True
            if interrupt.requested:
                # Workers ignore SIGINT: the chunks in hand finish (whole files), the rest are
                # dropped; those that finished meanwhile are put in place and recorded.
                pool.shutdown(wait=True, cancel_futures=True)
                for future, chunk in chunks.items():
                    if future.done() and not future.cancelled():
                        for outcome in _chunk_outcomes(future, chunk):
                            committer.add(outcome)
                raise KeyboardInterrupt
    finally:
        gc.unfreeze()


def _chunks(jobs: list[Job], workers: int) -> Iterator[list[Job]]:
    """Chunks that shrink as the work runs out (a quarter of each worker's share, at most
    ``CHUNK_MAX`` plans), so the workers finish together."""
    start = 0
    while start < len(jobs):
        size = max(1, min(CHUNK_MAX, (len(jobs) - start) // (workers * 4)))
        yield jobs[start : start + size]
        start += size


def _chunk_outcomes(future: Any, chunk: list[Job]) -> list[Outcome]:
    try:
        outcomes: list[Outcome] = future.result()
    except Exception as error:  # the worker died (killed, out of memory)
        return [
            Outcome(job, error=f"{job.source}: worker failed: {type(error).__name__}")
            for job in chunk
        ]
    return outcomes


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
    """Warnings and failures, one line each on stderr; then the summary table on stdout."""
    for warning in summary.warnings:
        print(f"planc: warning: {warning}", file=sys.stderr)
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
    kind = fmt.lower()
    if kind in ("xlsx", "ics") and not summary.interrupted:
        from planc.ledger_update import combine_build

        combined = combine_build(out, kind)
        what = "ledger" if kind == "xlsx" else "calendar"
        print(f"planc build → {combined}: every plan in one {what}")
    if kind == "html" and not summary.interrupted:
        from planc.report import write_index

        print(f"planc build → {write_index(out)}: an index of every plan's report")
    if summary.interrupted:
        print("planc: interrupted", file=sys.stderr)
        return 130
    return 1 if summary.failures else 0
