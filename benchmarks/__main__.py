"""`python -m benchmarks [--quick] [--write docs/performance.md] [--queue DATABASE_URL]`: every performance
figure, as a table.

The evaluations of quality have their own commands:
`python -m benchmarks.claims_eval`, `python -m benchmarks.dedup_eval`,
`python -m benchmarks.dedup_index`.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.perf import render_table, run_all


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
            f"Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs: a smoke run, figures not meaningful")
    parser.add_argument("--write", metavar="FILE", help="also write the table and the machine to FILE (Markdown)")
    parser.add_argument("--queue", metavar="DATABASE_URL",
                        help="also the queue figures (benchmarks/queue.py: RabbitMQ, Redis and this PostgreSQL "
                             "database, whose public schema is dropped)")
    args = parser.parse_args()
    figures = run_all(args.quick)
    if args.queue:
        from benchmarks.queue import run_queue

        figures += run_queue(args.queue, quick=args.quick)
    table = render_table(figures)
    print(table)
    if args.write:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                check=False).stdout.strip()
        target = Path(args.write)
        # Hand-written sections (from the first "## " heading on) survive a rewrite.
        previous = target.read_text(encoding="utf-8") if target.is_file() else ""
        notes = previous[previous.find("\n## ") + 1:] if "\n## " in previous else ""
        target.write_text(
            "# Performance\n\n"
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit or '?'} on {_machine()}, "
            "with `python -m benchmarks --write docs/performance.md`. CPU figures are process time, "
            "best of rounds, measured side by side in one run; absolute times vary with the machine's "
            "load, ratios much less. The quality evaluations are in README.md (Benchmarks).\n\n"
            + table + "\n" + ("\n" + notes if notes else ""), encoding="utf-8")
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
