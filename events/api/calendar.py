"""The calendar feed's format: timeline items rendered as iCalendar (RFC 5545) for calendar apps to subscribe to.

A fuzzy date becomes an all-day event over its bounds ("2026-06" spans June); its wording and the record's URL go
in the description. Items without a known first day cannot be placed on a calendar and are left out.
"""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event
from rest_framework import renderers
from rest_framework.negotiation import BaseContentNegotiation

from events.models.revision import dataset_changed_at

STATUSES = {"proposed": "TENTATIVE", "planned": "CONFIRMED"}  # what the feed lists, in iCalendar's terms


class ICalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        stamp = dataset_changed_at(request) or timezone.now()
        host = request.get_host() if request is not None else "spacediplo"
        calendar = Calendar()
        calendar.add("prodid", "-//spacediplo//proposed and planned meetings and launches//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "spacediplo: proposed and planned meetings and launches")
        for item in data:
            event = item_event(item, stamp=stamp, host=host)
            if event is not None:
                calendar.add_component(event)
        return calendar.to_ical()


def item_event(item: dict, *, stamp: dt.datetime, host: str) -> Event | None:
    date = item["date"]
    if not date or not date["earliest"]:
        return None
    first = dt.date.fromisoformat(date["earliest"])
    last = dt.date.fromisoformat(date["latest"]) if date["latest"] else first  # open-ended: its first day
    wording = date["text"] or date["edtf"]
    event = Event()
    event.add("uid", f"{item['type']}-{item['slug']}@{host}")
    event.add("dtstamp", stamp)
    event.add("summary", item["name"])
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))  # all-day events end on the day after (exclusive)
    event.add("status", STATUSES.get(item["status"], "TENTATIVE"))
    event.add("categories", [item["type"]])
    event.add("url", item["url"])
    event.add(
        "description",
        f"{item['status'].capitalize()} {item['type']}. Date: {wording} (EDTF {date['edtf']}).\n{item['url']}",
    )
    return event


class CalendarNegotiation(BaseContentNegotiation):
    """Calendar apps send all sorts of Accept headers: the feed answers iCalendar whatever they ask for."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
