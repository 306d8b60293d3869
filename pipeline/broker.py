"""The queue edge: Dramatiq on RabbitMQ (the only module that imports dramatiq, pika and redis).

    QueueBroker   the broker of `[queue] broker`, its two actors (poll, page)
                  under `[queue] name`, publishing task ids and running a worker
    RedisHostGate per-host politeness shared by every worker through `[queue] redis`

Messages carry only a task id (pipeline/queued.py keeps the work in the
database). Dramatiq acknowledges a message after its actor returns (late
ack), so RabbitMQ delivers again what a killed worker held; an actor that
raises is retried with backoff, then dead-lettered (`<name>.<kind>.XQ`),
and the waiting `run` sends the unfinished task again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend

from pipeline.config import FetchSettings, QueueSettings
from pipeline.errors import QueueError
from pipeline.politeness import host_of

log = logging.getLogger(__name__)

KINDS = ("poll", "page")
# Retries of a task whose database or broker failed: 1 s doubling to 30 s, 5
# times (Dramatiq's defaults wait up to 7 days); after that the outbox resends.
_RETRIES: dict[str, Any] = {"max_retries": 5, "min_backoff": 1_000, "max_backoff": 30_000}


def queue_names(settings: QueueSettings) -> list[str]:
    """The queues of an installation: one per task kind, prefixed by `[queue] name`."""
    return [f"{settings.name}.{kind}" for kind in KINDS]


class QueueBroker:
    """The broker with this installation's actors; `handlers` run the tasks (in a worker)."""

    def __init__(self, settings: QueueSettings) -> None:
        self._settings = settings
        self._broker = RabbitmqBroker(url=settings.broker, confirm_delivery=True)
        self._actors: dict[str, dramatiq.Actor[[int], None]] = {}

    def declare(self, handlers: Mapping[str, Callable[[int], None]]) -> None:
        """The actors of the task kinds; a process that only publishes declares them too (it never runs them)."""
        for kind, handler in handlers.items():
            self._actors[kind] = dramatiq.actor(broker=self._broker, actor_name=f"{self._settings.name}_{kind}",
                                                queue_name=f"{self._settings.name}.{kind}", **_RETRIES)(handler)

    def send(self, tasks: Sequence[tuple[int, str]]) -> None:
        """Publish task ids (confirmed by RabbitMQ before this returns); QueueError when it did not take them."""
        import pika.exceptions

        try:
            for task_id, kind in tasks:
                self._actors[kind].send(task_id)
        except (pika.exceptions.AMQPError, dramatiq.errors.BrokerConnectionError) as exc:
            raise QueueError(f"the broker did not take {len(tasks)} task(s): {type(exc).__name__} {exc}") from exc

    def work(self, threads: int, stop: threading.Event) -> None:
        """Consume this installation's queues with `threads` threads until `stop` is set."""
        worker = dramatiq.Worker(self._broker, worker_threads=threads, worker_timeout=500)
        worker.start()
        try:
            stop.wait()
        finally:
            worker.stop()

    def depths(self) -> dict[str, int]:
        """Messages ready in each queue (not those a worker holds)."""
        depths = {}
        for name in queue_names(self._settings):
            ready, _delayed, _dead = self._broker.get_queue_message_counts(name)
            depths[name] = ready
        return depths

    def purge(self) -> None:
        """Drop every message waiting in this installation's queues (an operator's purge; tests)."""
        for name in queue_names(self._settings):
            self._broker.flush(name)

    def delete_queues(self) -> None:
        """Delete this installation's queues and their delay and dead-letter queues (tests, uninstall)."""
        import pika.exceptions

        for name in queue_names(self._settings):
            for queue in (name, f"{name}.DQ", f"{name}.XQ"):
                try:
                    self._broker.channel.queue_delete(queue)
                except pika.exceptions.ChannelClosedByBroker:
                    del self._broker.channel      # the broker closes the channel on an error: a new one

    def close(self) -> None:
        """Close the broker's connections."""
        self._broker.close()


def connect_checked(settings: QueueSettings, handlers: Mapping[str, Callable[[int], None]]) -> QueueBroker:
    """A QueueBroker, or a QueueError naming the fix when RabbitMQ cannot be reached."""
    import pika.exceptions

    broker = QueueBroker(settings)
    broker.declare(handlers)
    try:
        broker.depths()   # declares the queues: the broker is reachable and they exist
    except (pika.exceptions.AMQPError, dramatiq.errors.BrokerConnectionError) as exc:
        broker.close()
        raise QueueError(f"cannot reach the broker of [queue] broker: {type(exc).__name__} {exc}; start "
                         f"RabbitMQ or fix the URL") from exc
    return broker


class RedisHostGate:
    """Per-host limits shared by every worker: Dramatiq's concurrent rate limiter and a Redis start mark."""

    def __init__(self, url: str, prefix: str, fetch: FetchSettings, *,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._backend = RedisBackend(url=url)
        self._prefix = prefix
        self._concurrency = fetch.per_host_concurrency
        self._interval_ms = int(fetch.per_host_interval_s * 1000)
        # A slot outlives a crashed holder by no more than a request can last.
        self._ttl_ms = int(fetch.timeout_s * 1000) * 2 + 1000
        self._sleep = sleep

    @contextmanager
    def hold(self, url: str) -> Iterator[None]:
        """Wait for one of the host's slots across workers, then for the interval since its last start."""
        host = host_of(url)
        key = f"{self._prefix}:inflight:{host}"
        limiter = ConcurrentRateLimiter(self._backend, key,  # type: ignore[no-untyped-call]
                                        limit=self._concurrency, ttl=self._ttl_ms)
        while True:
            with limiter.acquire(raise_on_failure=False) as acquired:
                if acquired:
                    self._wait_for_interval(host)
                    yield
                    return
            self._sleep(0.02)

    def close(self) -> None:
        """Close the Redis connections (the pool too: the backend made it from the URL)."""
        self._backend.client.close()
        self._backend.client.connection_pool.disconnect()

    def _wait_for_interval(self, host: str) -> None:
        if self._interval_ms <= 0:
            return
        client = self._backend.client
        key = f"{self._prefix}:start:{host}"
        # SET NX PX: whoever sets the mark may start; it expires `interval` later.
        while not client.set(key, 1, px=self._interval_ms, nx=True):
            left = client.pttl(key)
            self._sleep(max(int(left), 5) / 1000)
