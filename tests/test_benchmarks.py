"""A smoke run of the benchmarks on tiny inputs, so they do not rot (their figures are not asserted)."""

from __future__ import annotations

import pytest

from benchmarks import perf


@pytest.mark.skipif(not perf.PAGES_DIR.is_dir(), reason="benchmark pages live in ../shared/data (absent)")
def test_every_benchmark_runs_on_a_tiny_input() -> None:
    figures = perf.run_all(quick=True)
    keys = [f.key.split()[0] for f in figures]
    assert {"P1", "P2", "P3", "P4", "P5", "P6", "Q1"} <= set(keys)
    assert all(f.measured for f in figures)
    table = perf.render_table(figures)
    assert table.count("\n") == len(figures) + 1


def test_the_extraction_metric_is_the_benchmark_s() -> None:
    from benchmarks.extraction_quality import page_counts, score
    assert page_counts("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts("a b c d e", "a b c d x")          # (a b c d) found, (b c d x) extra, (b c d e) missed
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)
    assert page_counts("a b c d", "") == (0.0, 0.0, 1.0)
    quality = score([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])          # a page found nothing: no precision, recall 0
    assert (quality.precision, quality.recall) == (1.0, 0.5)
    assert round(quality.f1, 4) == round(2 * 0.5 / 1.5, 4)


def test_the_queue_engine_benchmark_runs() -> None:
    """S1 of benchmarks/queue.py on a tiny input (the other queue figures take minutes: not in the suite)."""
    from benchmarks.queue import s1_engine
    from tests.queue_support import rabbitmq_url

    rabbitmq_url()
    figure = s1_engine(50)
    assert figure.key == "S1" and "consume" in figure.measured
