"""One article being read: its sentences with the records and dates each names, and the candidates found so far
(each subject, field and value once, its locators merged and its best confidence kept)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events.extraction.countries import countries_in
from events.extraction.dates import PUBLISHED_LINE, DateMention, dates_in, tense
from events.extraction.found import Found, Subject, subject_key
from events.extraction.gazetteer import Gazetteer, Record
from events.extraction.mentions import Mention, NameIndex
from events.extraction.text import Article, Sentence, sentences

# What is said of a proposed record counts for less than what is said of a known one.
PROPOSAL_FACTOR = 0.6


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
    # Records the article names that the database does not hold, under the slugs they would get (proposals.py).
    proposed: dict[tuple[str, str], Record] = field(default_factory=dict)
    proposed_names: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    meeting_parties: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a proposed meeting's agencies

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

    def record(self, type_: str, slug: str) -> Record | None:
        """A known record, or one the article names that is proposed."""
        return self.gazetteer.get(type_, slug) or self.proposed.get((type_, slug))

    def emit(self, read: Read, subject: Subject, field_: str, value: str, *, wording: str, confidence: float) -> None:
        """Propose a claim. A subject given by the slug of a proposed record is that proposal (a subject with a name
        and no slug); what is said of a record not known is less sure than what is said of a known one."""
        if not value:
            return
        if subject.slug and (subject.type, subject.slug) in self.proposed:
            subject = Subject(subject.type, name=self.proposed[(subject.type, subject.slug)].name)
        if not subject.slug:
            confidence *= PROPOSAL_FACTOR
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
