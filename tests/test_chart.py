"""The report's timeline chart: deadlines where they fall, readable axes, outlets in the legend, no flat panels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from pipeline import report
from pipeline.chart import build_figure, deadline_label, draw_timeline
from pipeline.changes import ExchangeRates
from pipeline.records import Claim, ClaimKind, Money, ReportedClaim, Window

RATES = ExchangeRates()


def _schedule(latest: date, published_on: date, url: str, source: str, subject: str = "s400-2018-contract",
              earliest: date | None = None) -> ReportedClaim:
    claim = Claim(topic="s400", subject=subject, kind=ClaimKind.DELIVERY_SCHEDULE,
                  value=Window(earliest=earliest, latest=latest, precision="year"), text="...", start=0, end=3)
    return ReportedClaim(claim=claim, article_id=1, url=url, title="t", published_on=published_on, family_id=1,
                         source=source)


def _value(billions: str, published_on: date, subject: str = "s400-2018-contract") -> ReportedClaim:
    claim = Claim(topic="s400", subject=subject, kind=ClaimKind.DEAL_VALUE,
                  value=Money(Decimal(billions) * 10**9, "USD", Decimal(10**7)), text="...", start=0, end=3)
    return ReportedClaim(claim=claim, article_id=2, url="https://www.example.org/a", title="t",
                         published_on=published_on, family_id=2, source="example-defence")


DEMO = [_schedule(date(2027, 12, 31), date(2026, 3, 9), "archive:001_533bc7422a99475d.txt", "archive"),
        _schedule(date(2028, 12, 31), date(2026, 3, 10), "http://127.0.0.1:8123/articles/a.html", "demo-defence"),
        _schedule(date(2028, 12, 31), date(2026, 3, 12), "http://127.0.0.1:8123/articles/b.html", "demo-defence")]


@pytest.fixture
def figure() -> Iterator[Figure]:
    series = report.timeline_series(DEMO, RATES)
    drawn = build_figure(series, y_labels=report.chart_labels(series), date_valued=report.date_valued(series))
    assert drawn is not None
    drawn.canvas.draw()
    yield drawn
    plt.close(drawn)


def test_a_deadline_is_drawn_on_its_own_date_not_the_next_year(figure: Figure) -> None:
    (axis,) = figure.axes
    drawn = sorted({mdates.num2date(y).date() for collection in axis.collections
                    for _x, y in collection.get_offsets()})
    assert drawn == [date(2027, 12, 31), date(2028, 12, 31)]
    labels = [t.get_text() for t in axis.get_yticklabels()]
    assert labels == ["Dec 2027", "Dec 2028"]            # not "2029.0", no fractional years


def test_the_time_axis_names_each_month_once(figure: Figure) -> None:
    (axis,) = figure.axes
    labels = [t.get_text() for t in axis.get_xticklabels() if t.get_text()]
    assert labels and len(labels) == len(set(labels)), labels


def test_the_legend_names_the_outlet_not_a_host_or_archive_file(figure: Figure) -> None:
    (axis,) = figure.axes
    legend = axis.get_legend()
    assert legend is not None
    assert sorted(t.get_text() for t in legend.get_texts()) == ["demo-defence", "seed archive"]


def test_subjects_that_never_changed_get_no_panel() -> None:
    flat = [_value("5.43", date(2025, 1, 1), "s400-missiles"), _value("5.43", date(2025, 6, 1), "s400-missiles")]
    moved = [_value("5.43", date(2025, 1, 1)), _value("6.1", date(2025, 6, 1))]
    series = report.timeline_series(flat + moved + DEMO, RATES)
    assert sorted(series) == ["s400 / s400-2018-contract / deal value", "s400 / s400-2018-contract / delivery schedule"]
    only_changed = report.timeline_series(flat + moved + DEMO, RATES,
                                          changed={("s400", "s400-2018-contract", "delivery_schedule")})
    assert list(only_changed) == ["s400 / s400-2018-contract / delivery schedule"]
    assert draw_timeline(report.timeline_series(flat, RATES), y_labels={}) == b""


@pytest.mark.parametrize(("day", "label"), [(date(2028, 12, 31), "Dec 2028"), (date(2027, 2, 28), "Feb 2027"),
                                            (date(2026, 7, 8), "8 Jul 2026")])
def test_deadline_labels_read_as_written(day: date, label: str) -> None:
    assert deadline_label(day) == label


def test_the_chart_is_a_png() -> None:
    series = report.timeline_series(DEMO, RATES)
    png = draw_timeline(series, y_labels=report.chart_labels(series), date_valued=report.date_valued(series))
    assert png.startswith(b"\x89PNG")
