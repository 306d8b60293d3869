"""Per-host politeness in one process: concurrency per host and the interval between starts."""

from __future__ import annotations

import threading
import time

from pipeline.politeness import LocalHostGate, host_of


def test_no_more_than_the_limit_in_flight_to_one_host() -> None:
    gate = LocalHostGate(2, 0.0)
    in_flight, most, lock = 0, 0, threading.Lock()
    release = threading.Event()

    def request(url: str) -> None:
        nonlocal in_flight, most
        with gate.hold(url):
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            release.wait(2)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=request, args=(f"http://a.test/{i}",)) for i in range(6)]
    other = threading.Thread(target=request, args=("http://b.test/x",))
    for thread in [*threads, other]:
        thread.start()
    deadline = time.monotonic() + 2
    while most < 3 and time.monotonic() < deadline:   # two on a.test and one on b.test
        time.sleep(0.01)
    assert most == 3
    release.set()
    for thread in [*threads, other]:
        thread.join()


def test_starts_to_one_host_are_spaced_by_the_interval() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    gate = LocalHostGate(5, 2.0, clock=lambda: now[0], sleep=sleep)
    for path in ("1", "2", "3"):
        with gate.hold(f"http://a.test/{path}"):
            pass
    with gate.hold("http://b.test/1"):
        pass
    assert slept == [2.0, 4.0]       # booked 2 s apart from the first start; b.test waits for nothing


def test_host_is_the_lower_case_name() -> None:
    assert host_of("https://WWW.Example.org:8443/a?b") == "www.example.org"
