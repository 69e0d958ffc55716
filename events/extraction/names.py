"""An article naming a known record by its own name or short name supports that name: a claim like any other."""

from __future__ import annotations

import re

from events.extraction.context import Context
from events.extraction.countries import BY_NAME
from events.extraction.found import Subject

# "Russian cosmonaut Oleg Platonov": a nationality adjective before a person's occupation and name.
OCCUPATION = r"(?:cosmonaut|astronaut|taikonaut|pilot|engineer|scientist|official|diplomat|businessman|businesswoman)"
ENDINGS = ("ian", "ese", "ish", "ss", "eli", "nch", "can", "ati", "ean", "kh", "man")
ADJECTIVES = {name: code for name, code in BY_NAME.items() if name.endswith(ENDINGS)}
ADJECTIVE = "|".join(map(re.escape, sorted(ADJECTIVES, key=len, reverse=True)))
NATIONALITY = re.compile(rf"\b(?P<adj>{ADJECTIVE})\s+{OCCUPATION}\s+$")
# "Pell Anders, a Canadian engineer": the same, in apposition after the name.
NATIONALITY_AFTER = re.compile(rf"^,\s+(?:a|an|the)\s+(?P<adj>{ADJECTIVE})(?:-born)?\s+{OCCUPATION}\b")

NAME_FIELDS = {"agency": ("name", "short_name"), "person": ("name",), "place": ("name",), "launch": ("name",)}


def run(context: Context) -> None:
    for read in context.reads:
        for m in read.mentions:
            record = context.record(m.type, m.slug)
            if record is None or m.type not in NAME_FIELDS:
                continue
            subject = Subject(m.type, m.slug)
            said = m.text.lower()
            nationality = None
            if m.type == "person":
                nationality = NATIONALITY.search(read.text[max(0, m.start - 40) : m.start]) or NATIONALITY_AFTER.match(
                    read.text[m.end : m.end + 60]
                )
            if nationality:
                code = ADJECTIVES[nationality.group("adj")]
                context.emit(read, subject, "nationality", code, wording=nationality.group(0).strip(), confidence=0.6)
            if m.how == "proposed":  # its names are the proposal's own (proposals.py)
                continue
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
