"""The tenure chart on an agency's admin page: its geometry (no database) and the page that draws it."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.admin import timeline
from events.admin.timeline import PLOT_LEFT, PLOT_RIGHT, WIDTH, agency_tenure_chart, tenure_chart
from events.fuzzydates import edtf_bounds
from events.models import Agency, Launch, Meeting, Person, Tenure

TODAY = dt.date(2026, 6, 1)


def tenure(name="Ada Head", start="", end="", *, title="Administrator", is_head=True) -> Tenure:
    """An unsaved tenure whose bounds are read from its EDTF, as saving it would."""
    record = Tenure(person=Person(name=name), title=title, is_head=is_head, start_edtf=start, end_edtf=end)
    for side, text in (("start", start), ("end", end)):
        bounds = edtf_bounds(text) if text else None
        setattr(record, f"{side}_earliest", bounds.earliest if bounds else None)
        setattr(record, f"{side}_latest", bounds.latest if bounds else None)
    return record


def event(model, name, date="", status="held"):
    bounds = edtf_bounds(date) if date else None
    label = {"title": name} if model is Meeting else {"name": name}
    return model(
        **label,
        status=status,
        date_edtf=date,
        date_earliest=bounds.earliest if bounds else None,
        date_latest=bounds.latest if bounds else None,
    )


def only_bar(chart):
    assert len(chart.bars) == 1
    return chart.bars[0]


# --- geometry ----------------------------------------------------------------------------------


def test_no_tenure_no_chart():
    assert tenure_chart([], [event(Meeting, "Talks", "2025-07-31")], today=TODAY) is None


def test_the_certain_span_is_solid_inside_the_possible_one():
    chart = tenure_chart([tenure(start="2020-01/2020-03", end="2024-10/2024-12")], today=TODAY)
    bar = only_bar(chart)
    # Certain from the latest start to the earliest end (Tenure.certain_span).
    assert bar.certain.x == chart.x(dt.date(2020, 3, 31))
    assert bar.certain.end == pytest.approx(chart.x(dt.date(2024, 10, 1)))
    # Possible from the earliest start to the latest end, wider on both sides.
    assert bar.possible.x == chart.x(dt.date(2020, 1, 1)) < bar.certain.x
    assert bar.possible.end == pytest.approx(chart.x(dt.date(2024, 12, 31)))
    assert bar.possible.end > bar.certain.end
    assert (bar.fade_start, bar.fade_end, bar.arrow_start, bar.arrow_end, bar.note) == (None, None, "", "", "")


def test_a_tenure_with_no_end_is_held_up_to_today():
    chart = tenure_chart([tenure(start="2025-02")], today=TODAY)
    bar = only_bar(chart)
    assert bar.certain.x == chart.x(dt.date(2025, 2, 28))
    assert bar.certain.end == pytest.approx(chart.today_x)
    assert bar.possible.end == pytest.approx(chart.today_x)
    assert not bar.open_end
    assert bar.note == "in office"


def test_an_unbounded_start_runs_to_the_edge_and_fades_with_an_arrow():
    chart = tenure_chart([tenure(start="../2018-10", end="2021-01-20")], today=TODAY)
    bar = only_bar(chart)
    assert bar.open_start
    assert not bar.open_end
    assert bar.fade_start.x == PLOT_LEFT
    assert bar.possible.x == pytest.approx(bar.fade_start.end)
    assert bar.arrow_start.startswith(f"{PLOT_LEFT},")
    assert bar.note == "start unknown (surely by 2018-10-31)"
    # A year of room before the earliest day known, so the fade does not sit on the tenure's own dates.
    assert chart.first_day == dt.date(2017, 1, 1)
    assert bar.certain.x == chart.x(dt.date(2018, 10, 31)) > bar.fade_start.end


def test_an_unbounded_end_runs_to_the_edge_and_fades_with_an_arrow():
    chart = tenure_chart([tenure(start="2019-05-01", end="2020/..")], today=TODAY)
    bar = only_bar(chart)
    assert bar.open_end
    assert not bar.open_start
    assert bar.fade_end.end == pytest.approx(PLOT_RIGHT)
    assert bar.arrow_end.startswith(f"{PLOT_RIGHT},")
    assert bar.note == "end unknown (not before 2020-01-01)"
    assert chart.last_day == dt.date(TODAY.year + 2, 1, 1)


def test_a_tenure_known_only_by_its_end_says_start_unknown_and_has_no_certain_day():
    chart = tenure_chart([tenure(end="../2025-07")], today=TODAY)
    bar = only_bar(chart)
    assert bar.certain is None
    assert bar.open_start
    assert bar.fade_start.x == PLOT_LEFT
    assert bar.possible.end == pytest.approx(chart.x(dt.date(2025, 7, 31)))
    assert bar.note == "start unknown"
    assert "no day certain" in bar.tooltip


def test_bars_come_earliest_first_and_label_person_and_title():
    late = tenure("Late Head", start="2025-02")
    early = tenure("Early Head", start="2012-05", end="2018-05")
    open_start = tenure("Unknown Start", end="../2012-05", title="Director General")
    chart = tenure_chart([late, early, open_start], today=TODAY)
    assert [b.label for b in chart.bars] == [
        "Unknown Start — Director General",
        "Early Head — Administrator",
        "Late Head — Administrator",
    ]
    tops = [b.y for b in chart.bars]
    assert tops == sorted(tops)
    assert len(set(tops)) == 3


def test_meetings_and_launches_are_marked_on_the_same_axis_below_the_bars():
    talks = event(Meeting, "Talks in Houston", "2025-07-31")
    summer = event(Meeting, "Summer summit", "2026-22", status="planned")
    undated = event(Meeting, "Some day", "")
    flight = event(Launch, "Crew-11", "2025-08-01", status="launched")
    chart = tenure_chart([tenure(start="2025-02")], [talks, summer, undated], [flight], today=TODAY)
    assert [(m.kind, m.label) for m in chart.marks] == [
        ("meeting", "meeting: Talks in Houston"),
        ("meeting", "meeting: Summer summit"),
        ("launch", "launch: Crew-11"),
    ]  # the undated meeting has no place on a time axis
    day, season, launch = chart.marks
    assert day.x == chart.x(dt.date(2025, 7, 31))
    # A fuzzy date is drawn as the days it can mean, its marker in the middle.
    assert season.span.x == chart.x(dt.date(2026, 6, 1))
    assert season.span.end == pytest.approx(chart.x(dt.date(2026, 8, 31)))
    assert season.span.x < season.x < season.span.end
    assert launch.x > day.x
    assert min(m.y for m in chart.marks) > max(b.y for b in chart.bars)
    assert day.tooltip == "Talks in Houston (2025-07-31), held"


def test_everything_is_drawn_inside_the_picture():
    chart = tenure_chart(
        [tenure(end="../2001"), tenure(start="1990", end="1995/.."), tenure(start="2024-03")],
        [event(Meeting, "Old talks", "1989-05")],
        today=TODAY,
    )
    xs = []
    for bar in chart.bars:
        for span in (bar.possible, bar.certain, bar.fade_start, bar.fade_end):
            if span is not None:
                assert span.width >= 0
                xs += [span.x, span.end]
    xs += [m.x for m in chart.marks] + [t.x for t in chart.ticks] + [chart.today_x]
    assert min(xs) >= PLOT_LEFT
    assert max(xs) <= PLOT_RIGHT <= WIDTH
    assert chart.height > chart.axis_y > max(b.y for b in chart.bars)
    # Decades of history: ticks thin out to stay readable.
    assert 2 <= len(chart.ticks) <= 12
    assert all(int(t.label) % 5 == 0 for t in chart.ticks)


# --- the agency page ----------------------------------------------------------------------------


@pytest.fixture
def curator_client(client, db):
    user = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def agency_page(client, slug):
    agency = Agency.objects.get(slug=slug)
    response = client.get(reverse("admin:events_agency_change", args=[agency.pk]))
    assert response.status_code == 200
    return agency, response


def chart_markup(response) -> str:
    match = re.search(r'<fieldset class="module tenure-chart".*?</fieldset>', response.content.decode(), re.DOTALL)
    assert match, "no tenure chart on the page"
    return match.group(0)


def test_an_agencys_page_draws_its_tenures_meetings_and_launches(curator_client, seeded):
    nasa, response = agency_page(curator_client, "nasa")
    chart = response.context["tenure_chart"]
    tenures = list(nasa.tenures.all())
    assert len(chart.bars) == len(tenures) > 1
    assert {b.url for b in chart.bars} == {reverse("admin:events_tenure_change", args=[t.pk]) for t in tenures}

    # Its meetings: those where someone took part for this agency; no other agency's.
    meetings = Meeting.objects.filter(participants__agency=nasa).exclude(date_edtf="").distinct()
    shown = {m.url for m in chart.marks if m.kind == "meeting"}
    assert shown == {reverse("admin:events_meeting_change", args=[m.pk]) for m in meetings}
    others = Meeting.objects.exclude(participants__agency=nasa)
    assert others.exists()
    assert not shown & {reverse("admin:events_meeting_change", args=[m.pk]) for m in others}

    # Its launches: operated by it, or with its people in the crew.
    launches = (Launch.objects.filter(operator=nasa) | Launch.objects.filter(crew__agency=nasa)).exclude(date_edtf="")
    assert {m.url for m in chart.marks if m.kind == "launch"} == {
        reverse("admin:events_launch_change", args=[launch.pk]) for launch in launches.distinct()
    }


def test_the_chart_is_inline_svg_that_the_content_policy_allows(curator_client, seeded):
    _, response = agency_page(curator_client, "nasa")
    markup = chart_markup(response)
    assert "<svg" in markup
    assert 'class="certain"' in markup
    assert 'class="possible"' in markup
    # CSP: no script, no style attribute (presentation attributes such as fill are not styles).
    assert "<script" not in markup
    assert "style=" not in markup
    # Numbers as SVG reads them, whatever the locale.
    assert not re.search(r'(?:x|y|width)="[0-9]+,[0-9]', markup)
    assert "curation.css" in response.content.decode()


def test_an_unbounded_tenure_shows_at_a_glance(curator_client, seeded):
    roscosmos = Agency.objects.get(slug="roscosmos")
    tenure = roscosmos.tenures.exclude(start_edtf="").first()
    Tenure.objects.filter(pk=tenure.pk).update(start_edtf="", start_earliest=None, start_latest=None)
    _, response = agency_page(curator_client, "roscosmos")
    bar = next(b for b in response.context["tenure_chart"].bars if b.label.startswith(tenure.person.name))
    assert bar.open_start
    assert bar.arrow_start
    markup = chart_markup(response)
    assert "start unknown" in markup
    assert 'fill="url(#tenure-fade-start)"' in markup
    assert 'class="open-start"' in markup


def test_an_agency_with_no_tenures_has_no_chart(curator_client, seeded):
    agency = Agency.objects.filter(tenures__isnull=True).first()
    response = curator_client.get(reverse("admin:events_agency_change", args=[agency.pk]))
    assert response.status_code == 200
    assert response.context["tenure_chart"] is None
    assert "tenure-chart" not in response.content.decode()


def test_an_agency_with_many_events_shows_the_latest(seeded, monkeypatch):
    monkeypatch.setattr(timeline, "MAX_EVENTS", 2)
    nasa = Agency.objects.get(slug="nasa")
    meetings = list(Meeting.objects.filter(participants__agency=nasa).exclude(date_edtf="").distinct())
    assert len(meetings) > 2
    chart = agency_tenure_chart(nasa)
    shown = [m for m in chart.marks if m.kind == "meeting"]
    assert len(shown) == 2
    latest = sorted(meetings, key=lambda m: (m.date_earliest or m.date_latest, m.slug))[-2:]
    assert [m.url for m in shown] == [reverse("admin:events_meeting_change", args=[m.pk]) for m in latest]
    assert "Only the latest 2 meetings" in chart.note


def test_the_add_page_has_no_chart_yet(curator_client, seeded):
    response = curator_client.get(reverse("admin:events_agency_add"))
    assert response.status_code == 200
    assert response.context["tenure_chart"] is None
    assert "tenure-chart" not in response.content.decode()
