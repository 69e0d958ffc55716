"""The chart on an agency's page: who held its posts when, against its meetings and launches.

`tenure_chart` computes the geometry (SVG user units) from records already read; the template only draws it.
A tenure's certain span (`Tenure.certain_span`) is drawn solid, the rest of what is possible lighter; a side
that no source bounds runs to the edge of the axis and fades out there, so an open start or end shows at a glance.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from events.models import CrewMember, Launch, Meeting, Participant, Tenure
from events.models.common import shown_name
from events.models.fuzzy import chronological

WIDTH = 1000
LABEL_WIDTH = 300  # the column of labels left of the plot
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 15
TOP = 8
ROW = 32
BAR = 14
AXIS = 42  # below the rows: the axis, the year labels and "today"
FADE = 36  # how far an unbounded side fades out, at most
MAX_EVENTS = 40  # meetings, and launches, drawn at most (the latest): the chart stays a picture, not a list
LABEL_CHARS = 46


@dataclass(frozen=True)
class Span:
    x: float
    width: float

    @property
    def end(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class TenureBar:
    label: str
    note: str  # what is unbounded or ongoing: "start unknown", "end unknown", "in office"
    tooltip: str
    url: str
    y: float  # top of the row
    bar_y: float
    possible: Span | None  # lighter, without the faded ends
    certain: Span | None  # solid
    fade_start: Span | None  # the faded end of an unbounded start
    fade_end: Span | None
    arrow_start: str  # SVG polygon points of an arrow at an unbounded side, or ""
    arrow_end: str
    is_head: bool

    @property
    def label_y(self) -> float:
        return self.y + 13

    @property
    def note_y(self) -> float:
        return self.y + 27

    @property
    def open_start(self) -> bool:
        return self.fade_start is not None

    @property
    def open_end(self) -> bool:
        return self.fade_end is not None


@dataclass(frozen=True)
class EventMark:
    kind: str  # "meeting" or "launch"
    label: str
    tooltip: str
    url: str
    y: float
    span: Span  # the days the date can mean
    x: float  # the marker, at the middle of the span
    points: str  # the marker's polygon

    @property
    def label_y(self) -> float:
        return self.y + ROW / 2 + 4

    @property
    def span_y(self) -> float:
        return self.y + ROW / 2 - 2


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    plot_left: float
    plot_right: float
    rows_bottom: float
    axis_y: float
    first_day: dt.date
    last_day: dt.date
    today_x: float
    bars: list[TenureBar]
    marks: list[EventMark]
    ticks: list[Tick]
    note: str = ""  # what the chart leaves out

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 16

    @property
    def today_label_y(self) -> float:
        return self.axis_y + 32

    def x(self, day: dt.date) -> float:
        return _x(day, self.first_day, self.last_day)


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    share = (day - first).days / max((last - first).days, 1)
    return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 2)


def possible_span(tenure: Tenure, *, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The days the post may have been held; None on a side no source bounds. No end date: in office today."""
    start = tenure.start_earliest if tenure.start_edtf else None
    end = tenure.end_latest if tenure.end_edtf else max(today, tenure.start_latest or today)
    return start, end


def _event_days(event) -> tuple[dt.date | None, dt.date | None]:
    return (event.date_earliest, event.date_latest) if event.date_edtf else (None, None)


def _year_ticks(first: dt.date, last: dt.date) -> list[int]:
    years = last.year - first.year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 250, 500, 1000) if years / s <= 12)
    return [y for y in range(first.year, last.year + 1) if y % step == 0]


def _label(text: str) -> str:
    return Truncator(text).chars(LABEL_CHARS)


def _note(tenure: Tenure, start: dt.date | None, end: dt.date | None) -> str:
    notes = []
    if start is None:
        notes.append(f"start unknown (surely by {tenure.start_latest})" if tenure.start_latest else "start unknown")
    if not tenure.end_edtf:
        notes.append("in office")
    elif end is None:
        notes.append(f"end unknown (not before {tenure.end_earliest})" if tenure.end_earliest else "end unknown")
    return ", ".join(notes)


def _arrow(tip: float, towards: int, bar_y: float) -> str:
    """An arrowhead at `tip`, pointing left (towards=-1) or right (1)."""
    back = tip - towards * 7
    return f"{tip},{bar_y + BAR / 2} {back},{bar_y - 3} {back},{bar_y + BAR + 3}"


def _bar(tenure, start, end, certain, *, y: float, x: Callable, url: str) -> TenureBar:
    bar_y = y + (ROW - BAR) / 2
    left, right = x(start, PLOT_LEFT), x(end, PLOT_RIGHT)
    fade = min(FADE, (right - left) / 2)
    fade_start = Span(left, fade) if start is None else None
    fade_end = Span(right - fade, fade) if end is None else None
    inner_left = fade_start.end if fade_start else left
    inner_right = fade_end.x if fade_end else right
    held = f"certainly held {certain[0]} to {certain[1]}" if certain else "no day certain"
    return TenureBar(
        label=_label(f"{tenure.person.name} — {tenure.title}"),
        note=_note(tenure, start, end),
        tooltip=f"{tenure.person.name}, {tenure.title}: start {tenure.start_edtf or 'unknown'}, "
        f"end {tenure.end_edtf or 'none (in office)'}; {held}",
        url=url,
        y=y,
        bar_y=bar_y,
        possible=Span(inner_left, inner_right - inner_left) if inner_right > inner_left else None,
        # At least a sliver: a certain single day still shows.
        certain=Span(x(certain[0], 0), max(x(certain[1], 0) - x(certain[0], 0), 2)) if certain else None,
        fade_start=fade_start,
        fade_end=fade_end,
        arrow_start=_arrow(left, -1, bar_y) if start is None else "",
        arrow_end=_arrow(right, 1, bar_y) if end is None else "",
        is_head=tenure.is_head,
    )


def _mark(kind: str, event, earliest, latest, *, y: float, x: Callable, url: str) -> EventMark:
    left, right = x(earliest, PLOT_LEFT), x(latest, PLOT_RIGHT)
    middle, mid = round((left + right) / 2, 2), y + ROW / 2
    name = shown_name(event)
    points = (
        f"{middle},{mid - 6} {middle + 6},{mid} {middle},{mid + 6} {middle - 6},{mid}"  # a diamond
        if kind == "meeting"
        else f"{middle},{mid - 7} {middle + 6},{mid + 5} {middle - 6},{mid + 5}"  # a triangle, pointing up
    )
    return EventMark(
        kind=kind,
        label=_label(f"{kind}: {name}"),
        tooltip=f"{name} ({event.date_edtf}), {event.get_status_display()}",
        url=url,
        y=y,
        span=Span(left, max(right - left, 2)),
        x=middle,
        points=points,
    )


def tenure_chart(
    tenures: Iterable[Tenure],
    meetings: Iterable[Meeting] = (),
    launches: Iterable[Launch] = (),
    *,
    today: dt.date,
    url: Callable[[object], str] = lambda record: "",
) -> Chart | None:
    """One row per tenure (earliest first), then one per dated meeting and launch, on one time axis; None with
    no tenure."""
    tenures = list(tenures)
    if not tenures:
        return None
    spans = [(t, *possible_span(t, today=today), t.certain_span(today=today)) for t in tenures]
    spans.sort(key=lambda span: (span[1] or dt.date.min, span[0].start_latest or today))
    events = [
        (kind, event, *_event_days(event))
        for kind, records in (("meeting", meetings), ("launch", launches))
        for event in records
        if any(_event_days(event))
    ]

    known = [today]
    for _, start, end, certain in spans:
        known += [day for day in (start, end, *(certain or ())) if day]
    for *_, earliest, latest in events:
        known += [day for day in (earliest, latest) if day]
    # Whole years, and a year more on a side where something runs open, so that its faded end has room.
    open_start = any(span[1] is None for span in spans) or any(event[2] is None for event in events)
    open_end = any(span[2] is None for span in spans) or any(event[3] is None for event in events)
    first = dt.date(min(known).year - (1 if open_start else 0), 1, 1)
    last = dt.date(max(known).year + (2 if open_end else 1), 1, 1)

    def x(day: dt.date | None, default: float) -> float:
        return default if day is None else _x(day, first, last)

    rows = TOP
    bars = []
    for tenure, start, end, certain in spans:
        bars.append(_bar(tenure, start, end, certain, y=rows, x=x, url=url(tenure)))
        rows += ROW
    marks = []
    for kind, event, earliest, latest in events:
        marks.append(_mark(kind, event, earliest, latest, y=rows, x=x, url=url(event)))
        rows += ROW
    return Chart(
        width=WIDTH,
        height=rows + AXIS,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        rows_bottom=rows,
        axis_y=rows + 4,
        first_day=first,
        last_day=last,
        today_x=_x(today, first, last),
        bars=bars,
        marks=marks,
        ticks=[Tick(_x(dt.date(year, 1, 1), first, last), str(year)) for year in _year_ticks(first, last)],
    )


def _admin_url(record) -> str:
    return reverse(f"admin:events_{record._meta.model_name}_change", args=[record.pk])


def _latest(queryset) -> tuple[list, bool]:
    """The latest MAX_EVENTS dated events, in date order, and whether there are more."""
    newest_first = queryset.exclude(date_edtf="").order_by(chronological().desc(nulls_last=True), "-slug")
    latest = list(newest_first[: MAX_EVENTS + 1])
    return list(reversed(latest[:MAX_EVENTS])), len(latest) > MAX_EVENTS


def agency_tenure_chart(agency, *, today: dt.date | None = None) -> Chart | None:
    """The chart for `agency`: its tenures; meetings its people attended for it; launches it operated or crewed."""
    meetings = Meeting.objects.filter(pk__in=Participant.objects.filter(agency=agency).values("meeting_id"))
    launches = Launch.objects.filter(
        Q(operator=agency) | Q(pk__in=CrewMember.objects.filter(agency=agency).values("launch_id"))
    )
    (meetings, more_meetings), (launches, more_launches) = _latest(meetings), _latest(launches)
    chart = tenure_chart(
        agency.tenures.select_related("person"),
        meetings,
        launches,
        today=today or timezone.localdate(),
        url=_admin_url,
    )
    left_out = [kind for kind, more in (("meetings", more_meetings), ("launches", more_launches)) if more]
    if chart and left_out:
        chart = replace(chart, note=f"Only the latest {MAX_EVENTS} {' and '.join(left_out)} are shown.")
    return chart
