"""What the queue tests share: PostgreSQL and RabbitMQ on this machine, or a clear skip (never in CI)."""

from __future__ import annotations

import os
import socket

import pytest


def require(what: str, reason: str) -> None:
    """Skip with a reason locally; in CI (CI=true) a missing service is a failure, not a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI: {reason}")
    pytest.skip(reason)


def postgres_url() -> str:
    """The PostgreSQL database of the test run (NEWSWATCH_TEST_DATABASE_URL)."""
    url = os.environ.get("NEWSWATCH_TEST_DATABASE_URL", "")
    if not url:
        require("PostgreSQL", "the queue tests need PostgreSQL: set NEWSWATCH_TEST_DATABASE_URL")
    return url


BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/"


def rabbitmq_url() -> str:
    """RabbitMQ on 127.0.0.1:5672 (.ci/run starts it and waits for it)."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError:
        require("RabbitMQ", "the queue tests need RabbitMQ on 127.0.0.1:5672 (rabbitmq-server -detached)")
    return BROKER_URL
