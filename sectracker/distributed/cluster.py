"""Opening a Dask cluster for ingestion: local worker processes, or an existing scheduler.

Errors a user can act on become ConfigError with a message: dask not installed, a
scheduler that does not answer within `CONNECT_TIMEOUT_S`, a scheduler without workers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sectracker.errors import ConfigError

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT_S = 5.0
WORKERS_TIMEOUT_S = 10.0
DASK_CONFIG = {
    # Dask keeps the last `low-level-log-length` (1,000) messages of every connection for debugging,
    # documents included: 1,000 batches of 50 documents would stay in the client's memory.
    "distributed.admin.low-level-log-length": 20,
    # Diagnostics nobody reads here (no dashboard) that cost CPU on the cores the workers use: the
    # workers' statistical profiler samples every 10 ms, every process checks its event loop every
    # 20 ms, and the scheduler and nannies (which run in the client's process) poll psutil several
    # times a second. Idle, a 2-worker cluster used 5% of a core in the client and 7% in the workers.
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "1s",  # memory limits still enforced, checked each second
}


@dataclass(frozen=True)
class DaskOptions:
    """Where to run: an existing scheduler's address, or this many local worker processes."""

    scheduler: str | None = None
    workers: int | None = None

    @property
    def local_workers(self) -> int:
        return self.workers or os.cpu_count() or 1

    def describe(self) -> str:
        if self.scheduler:
            return f"Dask scheduler {self.scheduler}"
        return f"{self.local_workers} local Dask worker(s)"


@contextmanager
def dask_client(options: DaskOptions) -> Iterator[Client]:
    """A connected client for the run; a local cluster is started for it and stopped after."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(f"the dask engine needs dask[distributed]: pip install 'sectracker[dask]' ({exc})") from exc
    with dask.config.set(DASK_CONFIG):
        if options.scheduler:
            with _connect(Client, options.scheduler) as client:
                yield client
            return
        cluster = LocalCluster(
            n_workers=options.local_workers,
            threads_per_worker=1,  # the pipeline is pure Python: one process per core, not threads
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        with cluster, Client(cluster) as client:
            yield client


def _connect(client_class: type[Client], address: str) -> Client:
    """A client on an existing scheduler that has at least one worker, or a ConfigError saying what is wrong."""
    try:
        client = client_class(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT_S:.0f} s ({exc}); start one "
            "with `dask scheduler`, or leave out --scheduler to run local workers"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except TimeoutError as exc:
        client.close()
        raise ConfigError(
            f"the Dask scheduler at {address} has no workers after {WORKERS_TIMEOUT_S:.0f} s; "
            f"start some with `dask worker {address}`"
        ) from exc
    return client


def worker_slots(client: Client) -> int:
    """How many tasks the cluster runs at once (its worker threads)."""
    return max(1, sum(client.nthreads().values()))
