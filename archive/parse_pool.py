"""Parsing in worker processes under a hard time limit: a stuck parse is killed, never waited for.

    pool = ParsePool(workers=2)
    pool.warm(2)                                                            start workers ahead of need
    pool.parse(data, media_type, url, settings, attachments) -> Record   (raises ParseError)
    pool.call(fn, *args, timeout=…) -> fn(*args) run in a worker           (any picklable function)
    pool.close()
    shared_pool(workers=1) -> ParsePool    one pool per process, grown on demand, closed at exit
    memory_limit() -> int                  each worker's memory cap (XXGK_PARSE_MEMORY, default 2 GiB)

``parser.parse`` checks its budget only between pages, tables and stages, so one pdfplumber call
can run for minutes (issue 13: 95 s for one page). Here each job runs in a worker process and the
caller waits at most ``timeout`` seconds (``parse``: the settings' ``time_budget``) from the moment
the worker says it started the job (a worker still starting up costs the document nothing); past it the
worker is killed (SIGKILL) and replaced, and the job raises ``ParseTimeoutError`` with reason
``parse_timeout``. The worker's own budget is a little shorter, so a parse that can stop cleanly
does, with the same reason. A worker that dies (out of memory, a crash in a C library) raises
``ParseError`` reason ``parser_died`` and is replaced. Each worker's data segment is capped
(``RLIMIT_DATA``: heap and anonymous mappings, not the shared libraries it maps) at
``memory_limit()``: a memory bomb fails that document with reason ``parse_memory`` (the worker
then exits and is replaced), never the machine. Thread-safe: each caller takes an idle worker,
so a slow document holds one worker, never a lock the others need.

Each worker is a fresh interpreter (``python -c …``, not ``multiprocessing``: nothing is forked
from a threaded crawl and no main module is run again) that imports the parser once and reads
jobs from a pipe of its own (length-prefixed pickles); on Linux it dies with this process. Before
the clock of its first parse starts, a worker parses a short report (``parser.pipeline.preload``:
the imports, pattern unions and indexes every document needs: 0.4 s of CPU with the compiled
patterns of parser/regex_cache.py, 1-1.5 s without, which a document's budget would otherwise
pay); a worker that never parses never pays it.
"""
from __future__ import annotations

import atexit
import os
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from typing import Any, Callable, Sequence

from parser import Attachment, ParseError, ParseSettings, ParseTimeoutError

__all__ = ["ParsePool", "shared_pool", "memory_limit", "run_job", "result_of", "parse_document",
           "parse_args", "SOFT_BUDGET_SHARE", "MEMORY_ENV", "PARSE_NICENESS"]

# the worker's own budget, as a share of the hard limit: a parse that can stop by itself does
SOFT_BUDGET_SHARE = 0.9
# how much lower a worker's CPU priority is than its parent's (``nice``: 0 to 19 higher is lower)
PARSE_NICENESS = 10
_KILL_WAIT = 5.0
# how long a new worker may take to start (an interpreter importing the parser, on a busy machine)
_START_TIMEOUT = 120.0
_STARTED = ("started",)
_HEADER = struct.Struct("<Q")
_WORKER_MAIN = ("import sys; from archive.parse_pool import serve; "
                "serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))")
MEMORY_ENV = "XXGK_PARSE_MEMORY"
OCR_THREADS_ENV = "XXGK_OCR_THREADS"  # read by parser.extract.ocr (the parser imports nothing of archive)
DEFAULT_MEMORY_LIMIT = 2 << 30


def memory_limit() -> int:
    """Bytes of data one parse worker may hold: ``XXGK_PARSE_MEMORY`` (e.g. 1GB; 0: no cap), else 2 GiB."""
    from .settings import parse_size

    raw = os.environ.get(MEMORY_ENV, "").strip()
    if not raw:
        return DEFAULT_MEMORY_LIMIT
    try:
        limit = parse_size(raw)
    except ValueError as e:
        raise ValueError(f"{MEMORY_ENV}={raw!r}: not a size (e.g. 2GB)") from e
    if limit < 0:
        raise ValueError(f"{MEMORY_ENV}={raw!r}: cannot be negative")
    return limit


class _Gone(Exception):
    """The other end of a pipe closed."""


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _recv(fd: int) -> Any:
    def exactly(n: int) -> bytes:
        parts, left = [], n
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise _Gone()
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    return pickle.loads(exactly(_HEADER.unpack(exactly(_HEADER.size))[0]))


def _die_with_parent() -> None:
    try:  # Linux: the kernel kills this worker when the process that started it goes
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _cap_memory(limit: int) -> None:
    if limit <= 0:
        return
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (limit if hard < 0 else min(limit, hard), hard))
    except (ImportError, ValueError, OSError):  # no such limit here (not POSIX): uncapped
        pass


def _warm_up() -> bool:
    """``parser.pipeline.preload``: a warm-up that fails (a memory cap too small for the parser, say)
    is left for the job to report."""
    try:
        from parser.pipeline import preload

        preload()
    except Exception:  # noqa: BLE001
        pass
    return True


def _yield_cpu() -> None:
    """A worker runs at a lower CPU priority (``PARSE_NICENESS``): parsing is the bulk of a crawl's
    CPU, and on a busy machine the fetchers, the catalog's writer and a web server go first. Measured
    with bench/bench_crawl_archive.py (2 cores, 4 × 3–5 rounds): the fetch phase 0.42–0.46× of fetch
    only → 0.48–0.52×, end to end unchanged (the same CPU, spent in another order)."""
    if hasattr(os, "nice"):  # POSIX
        try:
            os.nice(PARSE_NICENESS)
        except OSError:
            pass


def serve(fd_in: int, fd_out: int, memory: int = 0) -> None:
    """A worker's loop: run each job, answer ('ok', result) or ('error', kind, reason, message)."""
    _die_with_parent()
    _cap_memory(memory)
    _yield_cpu()
    try:
        import parser.pipeline  # noqa: F401 — imported once, before the first job's clock starts
    except MemoryError:
        pass  # a cap too small for the parser: the first job, importing it again, says so

    warm = False
    while True:
        try:
            fn, args, parses = _recv(fd_in)  # unpickling a job imports its function's module
            if parses and not warm:  # the first parse: the stages warmed up before its clock starts
                warm = _warm_up()
            _send(fd_out, _STARTED)  # the job's clock starts now, not while this worker was starting
        except (_Gone, OSError, KeyboardInterrupt):
            return
        except MemoryError:  # a cap too small to even take the job: answered in its place, then gone
            try:
                _send(fd_out, _memory_answer(memory))
            except (OSError, MemoryError):
                pass
            return
        answer = run_job(fn, args, memory)
        try:
            _send(fd_out, answer)
        except OSError:
            return
        if answer[2:3] == ("parse_memory",):
            return  # a heap that hit its cap may be left fragmented: a fresh worker takes over


def run_job(fn: Callable[..., Any], args: Sequence[Any], memory: int = 0) -> tuple:
    """``fn(*args)`` as a picklable answer: ('ok', result) or ('error', kind, reason, message)."""
    try:
        return ("ok", fn(*args))
    except ParseError as e:
        return ("error", type(e).__name__, e.reason, str(e))
    except MemoryError:
        return _memory_answer(memory)
    except Exception as e:  # noqa: BLE001 — a bug in a job is that job's failure, the worker lives on
        return ("error", "ParseError", "parser_bug", f"parser crashed: {type(e).__name__}: {e}")


def _memory_answer(memory: int) -> tuple:
    return ("error", "ParseError", "parse_memory", f"the parser needed more than {_memory_cap(memory)}")


def _memory_cap(memory: int) -> str:
    return f"its memory cap of {memory >> 20:,} MB ({MEMORY_ENV})" if memory > 0 else "the memory there is"


def result_of(answer: tuple, timeout: float) -> Any:
    """The job's result, or its ParseError raised again on this side (``run_job``'s answer)."""
    if answer[0] == "ok":
        return answer[1]
    _, kind, reason, message = answer
    if reason in ("timeout", "parse_timeout") or kind == "ParseTimeoutError":  # stopped by itself, in time
        raise ParseTimeoutError(f"parsing took longer than its budget of {timeout:g} s (stopped {message})",
                                reason="parse_timeout")
    import parser.errors as errors

    raise getattr(errors, kind, ParseError)(message, reason=reason)


def parse_args(settings: ParseSettings | None) -> tuple[ParseSettings, float]:
    """The settings a worker parses with (its own budget a little shorter) and the hard limit."""
    settings = ParseSettings.resolve(settings)
    hard = settings.time_budget
    return replace(settings, time_budget=max(hard * SOFT_BUDGET_SHARE, min(hard, 0.5))), hard


def parse_document(data: bytes, media_type: str | None, url: str | None, settings: ParseSettings,
               attachments: Sequence[Attachment]):
    import parser as report_parser

    return report_parser.parse(data, media_type, url, settings, attachments=attachments)


class _Spawner:
    """One long-lived thread that starts every worker: PR_SET_PDEATHSIG fires when the *thread*
    that started a process ends, and a crawl's site threads end long before the pool does."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._run, name="xxgk-parse-spawner", daemon=True).start()

    def _run(self) -> None:
        while True:
            done, box, memory, threads = self._jobs.get()
            try:
                box.append(_Worker(memory, threads))
            except BaseException as e:  # noqa: BLE001 — handed to the caller
                box.append(e)
            done.set()

    def start(self, memory: int, threads: int) -> "_Worker":
        done, box = threading.Event(), []
        self._jobs.put((done, box, memory, threads))
        done.wait()
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def _start_worker(memory: int, workers: int) -> "_Worker":
    global _spawner
    with _spawner_lock:
        if _spawner is None:
            _spawner = _Spawner()
    return _spawner.start(memory, ocr_threads_for(workers))


def ocr_threads_for(workers: int) -> int:
    """The cores each of ``workers`` parsing processes may give its OCR engine: their share. Left to
    itself onnxruntime spins a thread on every core in every worker, and two workers reading scans
    at once took 50 s each, one thread each 33 s, same words (``XXGK_OCR_THREADS`` decides if set)."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


class _Worker:
    def __init__(self, memory: int, ocr_threads: int = 0):
        job_r, self.job_w = os.pipe()
        self.answer_r, answer_w = os.pipe()
        env = dict(os.environ)
        # the modules this process imports (a source checkout, the tests' folder) for the worker too
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        if ocr_threads and not env.get(OCR_THREADS_ENV):
            env[OCR_THREADS_ENV] = str(ocr_threads)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_MAIN, str(job_r), str(answer_w), str(memory)], pass_fds=(job_r, answer_w),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                close_fds=True)
        finally:
            os.close(job_r)
            os.close(answer_w)

    def send(self, obj: Any) -> None:
        _send(self.job_w, obj)

    def wait(self, timeout: float) -> bool:
        return bool(select.select([self.answer_r], [], [], max(0.0, timeout))[0])

    def recv(self) -> Any:
        return _recv(self.answer_r)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(_KILL_WAIT)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.close_pipes()

    def close_pipes(self) -> None:
        for fd in (self.job_w, self.answer_r):
            try:
                os.close(fd)
            except OSError:
                pass


class ParsePool:
    def __init__(self, workers: int = 1, memory: int | None = None):
        if workers < 1:
            raise ValueError("a parse pool needs at least one worker")
        self.max_workers = workers
        self.memory = memory_limit() if memory is None else memory
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._all: set[_Worker] = set()
        self._closed = False

    def grow(self, workers: int) -> None:
        with self._lock:
            self.max_workers = max(self.max_workers, workers)

    def warm(self, workers: int) -> None:
        """Start up to ``workers`` workers now (they import the parser while the caller goes on)."""
        while True:
            with self._lock:
                if self._closed or self._started >= min(workers, self.max_workers):
                    return
                self._started += 1
            try:
                worker = _start_worker(self.memory, self.max_workers)
            except OSError:
                with self._lock:
                    self._started -= 1
                return
            with self._lock:
                self._all.add(worker)
            self._idle.put(worker)

    # -- jobs ---------------------------------------------------------------------------------
    def parse(self, data: bytes, media_type: str | None = None, url: str | None = None,
              settings: ParseSettings | None = None, attachments: Sequence[Attachment] = (), *,
              fn: Callable[..., Any] = parse_document):
        """``parser.parse`` in a worker, killed at ``settings.time_budget`` seconds; ``fn``: another
        function of ``parse_document``'s arguments that parses (``archive.catalog_parse``)."""
        soft, hard = parse_args(settings)
        return self.call(fn, data, media_type, url, soft, tuple(attachments), timeout=hard, parses=True)

    def _died(self, worker: "_Worker", t0: float) -> ParseError:
        try:
            code = worker.process.wait(_KILL_WAIT)
        except subprocess.TimeoutExpired:
            code = None
        cap = f", under {_memory_cap(self.memory)}" if self.memory > 0 else ""
        return ParseError(f"the parser process died after {time.monotonic() - t0:.1f} s (exit code {code}){cap}",
                          reason="parser_died")

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float, parses: bool = False) -> Any:
        """``fn(*args)`` in a worker; ParseTimeoutError (``parse_timeout``) past ``timeout`` seconds.
        ``parses``: ``fn`` runs the parser, which a worker warms up before its first such job's clock."""
        worker = self._take()
        ok = False
        try:
            t0 = time.monotonic()
            try:
                worker.send((fn, args, parses))
                first = worker.recv() if worker.wait(_START_TIMEOUT) else None
            except (OSError, _Gone) as e:
                raise self._died(worker, t0) from e
            if first is None:
                raise ParseError(f"the parser process did not start within {_START_TIMEOUT:g} s",
                                 reason="parser_died")
            if first != _STARTED:
                answer = first  # answered in place of starting: a cap too small to even take the job
            elif not worker.wait(timeout):
                raise ParseTimeoutError(
                    f"parsing took longer than its budget of {timeout:g} s; the parser process was stopped",
                    reason="parse_timeout")
            else:
                try:
                    answer = worker.recv()
                except (_Gone, OSError) as e:
                    raise self._died(worker, t0) from e
            ok = answer[2:3] != ("parse_memory",)  # that worker exits: replaced now, not found dead later
        finally:
            self._give_back(worker, healthy=ok)
        return result_of(answer, timeout)

    # -- workers ------------------------------------------------------------------------------
    def _take(self) -> _Worker:
        if self._closed:
            raise RuntimeError("the parse pool is closed")
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            pass
        else:
            if worker.alive():
                return worker
            self._give_back(worker, healthy=False)  # died idle (killed from outside): replaced
            return self._take()
        with self._lock:
            if self._started < self.max_workers:
                self._started += 1
                try:
                    worker = _start_worker(self.memory, self.max_workers)
                except BaseException:
                    self._started -= 1
                    raise
                self._all.add(worker)
                return worker
        worker = self._idle.get()
        if worker.alive():
            return worker
        self._give_back(worker, healthy=False)
        return self._take()

    def _give_back(self, worker: _Worker, *, healthy: bool) -> None:
        if healthy and worker.alive():
            self._idle.put(worker)
            return
        worker.kill()  # killed and replaced lazily: the next job that needs a worker starts one
        with self._lock:
            self._all.discard(worker)
            self._started -= 1
        if self._closed:
            return
        # wake a caller waiting in _take(): it may now start a worker of its own
        try:
            replacement = _start_worker(self.memory, self.max_workers)
        except (OSError, ValueError):
            return
        with self._lock:
            self._started += 1
            self._all.add(replacement)
        self._idle.put(replacement)

    @property
    def pids(self) -> list[int]:
        return sorted(w.process.pid for w in list(self._all) if w.process.pid)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            w.close_pipes()  # the worker reads the end of its job pipe and exits
            try:
                w.process.wait(0.5)
            except subprocess.TimeoutExpired:
                w.kill()

    def __enter__(self) -> "ParsePool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: ParsePool | None = None
_shared_lock = threading.Lock()
_shared_pid: int | None = None


def shared_pool(workers: int = 1) -> ParsePool:
    """This process's pool (made on first use, grown to ``workers``, closed at exit)."""
    global _shared, _shared_pid
    with _shared_lock:
        if _shared is None or _shared_pid != os.getpid() or _shared._closed:
            _shared, _shared_pid = ParsePool(workers), os.getpid()
            atexit.register(_shared.close)
        else:
            _shared.grow(workers)
        return _shared
