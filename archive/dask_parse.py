"""The same pure parser on a Dask cluster: ``--dask tcp://host:8786`` or ``--dask local``.

    engine = DaskEngine("local")                 a LocalCluster: one single-threaded worker process a core
    wait = engine.submit(job)                     jobs go out in batches of ``batch`` documents a task
    wait() -> record | ParseError
    engine.close()

Dask carries the bytes to its workers and the answers back; the client (``archive.parallel_parse``)
claims and stores, so the catalog is written by one process whatever the cluster's size. A batch
is one task (a few hundred documents: a task's overhead is milliseconds, a document's parse tens of
them). Each document keeps its parser's own time budget (checked between pages and stages); a
worker that dies takes its batch with it and Dask runs it again elsewhere. dask[distributed] is
an optional extra (``pip install 'xxgk[scale]'``), imported only here.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Callable, Sequence

from parser import ParseError

from .errors import ArchiveError
from .ingest import ParseJob
from .catalog_parse import parse_for_catalog
from .parse_pool import parse_args, result_of, run_job

__all__ = ["DaskEngine", "parse_batch", "DEFAULT_BATCH"]

DEFAULT_BATCH = 200
# how long the client waits for a remote scheduler to answer
_CONNECT_TIMEOUT = "30s"


def parse_batch(jobs: Sequence[ParseJob]) -> list[tuple]:
    """Run on a Dask worker: each job's answer (``run_job``'s picklable tuple), in order."""
    answers = []
    for job in jobs:
        settings, _ = parse_args(job.settings)
        answers.append(run_job(parse_for_catalog, (job.data, job.media_type, job.url, settings, job.attachments)))
    return answers


def _distributed():
    try:
        from dask import distributed
    except ImportError as e:
        raise ArchiveError(f"--dask needs dask[distributed] ({e.name or e} is not installed): "
                           "pip install 'xxgk[scale]'") from None
    return distributed


class _Batch:
    def __init__(self) -> None:
        self.jobs: list[ParseJob] = []
        self.future: Any = None


class DaskEngine:
    def __init__(self, address: str, *, batch: int = DEFAULT_BATCH, workers: int | None = None):
        distributed = _distributed()
        logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines are not this command's output
        self.batch_size = max(1, batch)
        self._cluster = None
        try:
            if address == "local":
                n = workers or max(1, os.cpu_count() or 1)
                self._cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                         dashboard_address=":0", silence_logs=logging.WARNING)
                self.client = distributed.Client(self._cluster)
            else:
                self.client = distributed.Client(address, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            self.close()
            raise ArchiveError(f"--dask {address}: cannot reach the Dask scheduler ({e})") from None
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        # batches in flight: one a worker and one waiting behind each, so no worker waits for the client
        self.window = self.batch_size * (2 * n_workers + 1)
        self._open = _Batch()

    def submit(self, job: ParseJob) -> Callable[[], Any]:
        batch, index = self._open, len(self._open.jobs)
        batch.jobs.append(job)
        if len(batch.jobs) >= self.batch_size:
            self._send()
        budget = job.settings.time_budget

        def wait() -> Any:
            if batch.future is None:
                self._send()
            try:
                return result_of(batch.future.result()[index], budget)
            except ParseError as e:
                return e

        return wait

    def _send(self) -> None:
        batch, self._open = self._open, _Batch()
        if batch.jobs:
            batch.future = self.client.submit(parse_batch, batch.jobs, pure=False)

    def close(self) -> None:
        for part in (getattr(self, "client", None), self._cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:  # noqa: BLE001 — closing a cluster that is already gone
                    pass
