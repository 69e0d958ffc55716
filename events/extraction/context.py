"""One article being read: its sentences with the records and dates each names, and the candidates found so far
(each subject, field and value once, its locators merged and its best confidence kept)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events.extraction.countries import countries_in
from events.extraction.dates import PUBLISHED_LINE, DateMention, dates_in, tense
from events.extraction.found import Found, Subject, subject_key
from events.extraction.gazetteer import Gazetteer
from events.extraction.mentions import Mention, NameIndex
from events.extraction.text import Article, Sentence, sentences


@dataclass
class Read:
    """A sentence with what it names."""

    sentence: Sentence
    mentions: list[Mention]
    dates: list[DateMention]
    countries: list[tuple[int, int, str]]
    tense: str
    topics: set[str] = field(default_factory=set)  # set by the topics rule
    heads: list[tuple[int, int, str, str]] = field(default_factory=list)  # (start, end, person, agency) by posts

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph

    def of_type(self, type_: str) -> list[Mention]:
        return [m for m in self.mentions if m.type == type_]

    def slugs(self, type_: str) -> list[str]:
        seen = []
        for m in self.of_type(type_):
            if m.slug not in seen:
                seen.append(m.slug)
        return seen


@dataclass
class Candidate:
    found: Found
    paragraphs: set[int] = field(default_factory=set)


@dataclass
class Context:
    article: Article
    published: dt.date
    gazetteer: Gazetteer
    reads: list[Read] = field(default_factory=list)
    found: dict[tuple, Candidate] = field(default_factory=dict)
    topic_terms: list = field(default_factory=list)

    @classmethod
    def of(cls, article: Article, *, published: dt.date, gazetteer: Gazetteer, index: NameIndex) -> Context:
        context = cls(article, published, gazetteer)
        previous: DateMention | None = None
        for sentence in sentences(article):
            found_dates = dates_in(sentence.text, published=published, context=previous)
            dateline = PUBLISHED_LINE.match(sentence.text) if sentence.paragraph <= 3 and sentence.index == 0 else None
            if dateline:  # the article's own date opening it is no event's date
                found_dates = [d for d in found_dates if d.start >= dateline.end()]
            if found_dates:
                previous = found_dates[-1]
            context.reads.append(
                Read(
                    sentence, index.find(sentence.text), found_dates, countries_in(sentence.text), tense(sentence.text)
                )
            )
        return context

    def emit(self, read: Read, subject: Subject, field_: str, value: str, *, wording: str, confidence: float) -> None:
        if not value:
            return
        key = (*subject_key(subject), field_, value)
        if key in self.found:
            candidate = self.found[key]
            candidate.paragraphs.add(read.paragraph)
            if confidence > candidate.found.confidence:
                candidate.found = Found(subject, field_, value, wording, "", read.text, confidence)
            return
        self.found[key] = Candidate(Found(subject, field_, value, wording, "", read.text, confidence), {read.paragraph})

    def results(self) -> list[Found]:
        out = []
        for candidate in self.found.values():
            f = candidate.found
            out.append(
                Found(
                    f.subject,
                    f.field,
                    f.value,
                    f.wording[:500],
                    locator_of(candidate.paragraphs),
                    f.sentence,
                    f.confidence,
                )
            )
        return sorted(out, key=lambda f: (f.subject.type, f.subject.slug or f.subject.name, f.field, f.value))


def locator_of(paragraphs: set[int]) -> str:
    """Paragraph numbers as the seed writes them: runs as ranges, "6-7,9"; at most ten parts."""
    numbers = sorted(paragraphs)
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ",".join(parts[:10])
