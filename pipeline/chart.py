"""The timeline chart of reported values per source (the only matplotlib user).

Drawn to PNG bytes with the non-interactive Agg backend, so it needs no
display; the HTML report embeds it as a data: URI. Deadlines are dates, drawn
on a date axis whose ticks are the reported deadlines themselves ("Dec 2028"),
never a fractional year (2028-12-31 read as 2028.997 sits on the "2029" line).
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Collection, Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402  (backend must be chosen first)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pipeline.records import TimelinePoint  # noqa: E402

MAX_DEADLINE_TICKS = 8  # more distinct deadlines than this: an automatic date axis


def draw_timeline(series: Mapping[str, Sequence[TimelinePoint]], *, y_labels: Mapping[str, str],
                  date_valued: Collection[str] = ()) -> bytes:
    """One panel per series (e.g. "s400-2018-contract deal value"), points marked per source; PNG bytes."""
    figure = build_figure(series, y_labels=y_labels, date_valued=date_valued)
    if figure is None:
        return b""
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()
    finally:
        plt.close(figure)


def build_figure(series: Mapping[str, Sequence[TimelinePoint]], *, y_labels: Mapping[str, str],
                 date_valued: Collection[str] = ()) -> Figure | None:
    """The chart as a matplotlib figure (None with nothing to draw); values of `date_valued` series are ordinals.

    The caller closes it (`plt.close`).
    """
    panels = [(name, points) for name, points in series.items() if points]
    if not panels:
        return None
    figure, axes = plt.subplots(len(panels), 1, figsize=(9, 2.6 * len(panels)), squeeze=False)
    for axis, (name, points) in zip(axes[:, 0], panels, strict=True):
        ordered = sorted(points, key=lambda p: p.published_on)
        is_date = name in date_valued
        values = [date.fromordinal(int(p.value)) if is_date else p.value for p in ordered]
        axis.step([p.published_on for p in ordered], values, where="post", color="#999", linewidth=1, zorder=1)
        for source in sorted({p.source for p in ordered}):
            mine = [(p.published_on, v) for p, v in zip(ordered, values, strict=True) if p.source == source]
            axis.scatter([when for when, _ in mine], [v for _, v in mine], label=source[:40], zorder=2, s=30)
        axis.set_title(name, fontsize=10, loc="left")
        axis.set_ylabel(y_labels.get(name, ""), fontsize=9)
        # Concise labels name each month or year once (a "%Y-%m" label on every
        # daily tick repeated the same month along the axis).
        x_locator = mdates.AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
        axis.xaxis.set_major_locator(x_locator)
        axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(x_locator))  # type: ignore[no-untyped-call]
        if is_date:
            _deadline_axis(axis, sorted({v for v in values if isinstance(v, date)}))
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7, loc="best")
    figure.tight_layout()
    return figure


def _deadline_axis(axis: Axes, deadlines: list[date]) -> None:
    """Ticks at the reported deadlines, labelled as written: "Dec 2028", "15 Mar 2027"."""
    span = max((deadlines[-1] - deadlines[0]).days, 60)
    low, high = deadlines[0].toordinal() - span // 8, deadlines[-1].toordinal() + span // 8
    axis.set_ylim(date.fromordinal(low), date.fromordinal(high))  # type: ignore[arg-type]
    if len(deadlines) <= MAX_DEADLINE_TICKS:
        axis.set_yticks(deadlines, [deadline_label(d) for d in deadlines])  # type: ignore[arg-type]
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
        axis.yaxis.set_major_locator(locator)
        axis.yaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def deadline_label(day: date) -> str:
    """A deadline as people write it: the month when it is the month's last day, else the day."""
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return f"{calendar.month_abbr[day.month]} {day.year}"
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"
