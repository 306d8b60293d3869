"""Prometheus metrics of `serve` and `worker` (`[queue] metrics_port`): the only module importing prometheus_client.

    newswatch_tasks_total{kind, outcome}     tasks finished by this process (ok, error)
    newswatch_task_seconds{kind}             how long they took
    newswatch_queued_tasks{kind}             work recorded and not done yet (the outbox, all workers)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server


class Metrics:
    """One process's metrics, served over HTTP on a port of 127.0.0.1 or all addresses."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._tasks = Counter("newswatch_tasks", "Queued tasks finished by this process.", ["kind", "outcome"],
                              registry=self.registry)
        self._seconds = Histogram("newswatch_task_seconds", "Time to run one queued task.", ["kind"],
                                  registry=self.registry)
        self._queued = Gauge("newswatch_queued_tasks", "Tasks recorded and not done yet.", ["kind"],
                             registry=self.registry)

    def serve(self, port: int, address: str = "0.0.0.0") -> None:
        """Expose the metrics on http://address:port/metrics (until `close`)."""
        self._server, _thread = start_http_server(port, addr=address, registry=self.registry)

    def close(self) -> None:
        """Stop serving the metrics."""
        server = getattr(self, "_server", None)
        if server is not None:
            server.shutdown()
            server.server_close()

    def timed(self, kind: str, task: Callable[[int], None]) -> Callable[[int], None]:
        """A task that counts and times itself."""
        def run(task_id: int) -> None:
            started = time.perf_counter()
            try:
                task(task_id)
            except BaseException:
                self._tasks.labels(kind, "error").inc()
                raise
            finally:
                self._seconds.labels(kind).observe(time.perf_counter() - started)
            self._tasks.labels(kind, "ok").inc()
        return run

    def set_queued(self, by_kind: Mapping[str, int]) -> None:
        """The outbox's unfinished tasks by kind."""
        for kind in ("poll", "page"):
            self._queued.labels(kind).set(by_kind.get(kind, 0))
