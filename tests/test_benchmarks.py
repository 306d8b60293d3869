"""A smoke run of the benchmarks on tiny inputs, so they do not rot (their figures are not asserted)."""

from __future__ import annotations

import pytest

from benchmarks import perf


@pytest.mark.skipif(not perf.PAGES_DIR.is_dir(), reason="benchmark pages live in ../shared/data (absent)")
def test_every_benchmark_runs_on_a_tiny_input() -> None:
    figures = perf.run_all(quick=True)
    keys = [f.key.split()[0] for f in figures]
    assert {"P1", "P2", "P3", "P4", "P5", "P6"} <= set(keys)
    assert all(f.measured for f in figures)
    table = perf.render_table(figures)
    assert table.count("\n") == len(figures) + 1
