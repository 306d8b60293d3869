"""The timeline chart of reported values per source (the only matplotlib user).

Drawn to PNG bytes with the non-interactive Agg backend, so it needs no
display; the HTML report embeds it as a data: URI.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402  (backend must be chosen first)
import matplotlib.pyplot as plt  # noqa: E402

from pipeline.records import TimelinePoint


def draw_timeline(series: Mapping[str, Sequence[TimelinePoint]], *, y_labels: Mapping[str, str]) -> bytes:
    """One panel per series (e.g. "s400-2018-contract deal value"), points marked per source."""
    panels = [(name, points) for name, points in series.items() if points]
    if not panels:
        return b""
    figure, axes = plt.subplots(len(panels), 1, figsize=(9, 2.6 * len(panels)), squeeze=False)
    try:
        for axis, (name, points) in zip(axes[:, 0], panels, strict=True):
            ordered = sorted(points, key=lambda p: p.published_on)
            axis.step([p.published_on for p in ordered], [p.value for p in ordered], where="post",
                      color="#999", linewidth=1, zorder=1)
            for source in sorted({p.source for p in ordered}):
                mine = [p for p in ordered if p.source == source]
                axis.scatter([p.published_on for p in mine], [p.value for p in mine], label=source[:40],
                             zorder=2, s=30)
            axis.set_title(name, fontsize=10, loc="left")
            axis.set_ylabel(y_labels.get(name, ""), fontsize=9)
            axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
            axis.grid(True, alpha=0.3)
            axis.legend(fontsize=7, loc="best")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()
    finally:
        plt.close(figure)
