"""What an article says of an agency's kind and country: "Russia's space agency, Roscosmos", "companies like A
and B" (with the country the sentence is about: "Russia ... with companies like A and B")."""

from __future__ import annotations

import re

from events.extraction.context import Context
from events.extraction.countries import BY_NAME
from events.extraction.found import Subject
from events.extraction.posts import masked

COUNTRY = "|".join(re.escape(n) for n in sorted(BY_NAME, key=len, reverse=True))
SPACE_AGENCY = [
    re.compile(rf"(?P<c>{COUNTRY})['’]s\s+(?:national\s+)?space\s+agency,?\s+«A(?P<a>\d+)»"),
    re.compile(rf"«A(?P<a>\d+)»,\s+(?:the\s+)?(?P<c>{COUNTRY})['’]?s?\s+(?:national\s+)?space\s+agency"),
]
COMPANIES = re.compile(
    r"\bcompan(?:y|ies)\s+(?:like|such as|including)\s+«A(?P<a>\d+)»(?:(?:,|\s+and)\s+«A(?P<b>\d+)»)*"
)
LEADING_COUNTRY = re.compile(rf"^(?P<c>{COUNTRY})\s+(?:has|have|is|was|had)\b")


def run(context: Context) -> None:
    for read in context.reads:
        text, items = masked(read)
        for pattern in SPACE_AGENCY:
            for m in pattern.finditer(text):
                subject = Subject("agency", items[int(m.group("a"))].slug)
                context.emit(read, subject, "kind", "space_agency", wording=m.group(0), confidence=0.7)
                context.emit(read, subject, "country", BY_NAME[m.group("c")], wording=m.group("c"), confidence=0.7)
        for m in COMPANIES.finditer(text):
            listed = [int(i) for i in re.findall(r"«A(\d+)»", m.group(0))]
            country = LEADING_COUNTRY.match(text)
            for index in listed:
                subject = Subject("agency", items[index].slug)
                context.emit(read, subject, "kind", "company", wording=m.group(0), confidence=0.6)
                if country:
                    context.emit(
                        read,
                        subject,
                        "country",
                        BY_NAME[country.group("c")],
                        wording=country.group("c"),
                        confidence=0.4,
                    )
