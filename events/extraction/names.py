"""An article naming a known record by its own name or short name supports that name: a claim like any other."""

from __future__ import annotations

from events.extraction.context import Context
from events.extraction.found import Subject

NAME_FIELDS = {"agency": ("name", "short_name"), "person": ("name",), "place": ("name",), "launch": ("name",)}


def run(context: Context) -> None:
    for read in context.reads:
        for m in read.mentions:
            record = context.gazetteer.get(m.type, m.slug)
            if record is None or m.type not in NAME_FIELDS:
                continue
            subject = Subject(m.type, m.slug)
            said = m.text.lower()
            for field in NAME_FIELDS[m.type]:
                value = getattr(record, field)
                if value and value.lower() == said:
                    context.emit(read, subject, field, value, wording=m.text, confidence=0.9)
            if m.type == "launch" and m.how in ("name", "spacecraft"):
                # "Soyuz MS-29" names the spacecraft, and the rocket family it starts with.
                if record.spacecraft and record.spacecraft.lower() == said:
                    context.emit(read, subject, "spacecraft", record.spacecraft, wording=m.text, confidence=0.6)
                if record.vehicle and said.startswith(record.vehicle.lower() + " "):
                    context.emit(read, subject, "vehicle", record.vehicle, wording=m.text, confidence=0.6)
