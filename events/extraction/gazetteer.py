"""What the database knows, as extraction needs it: each record's names (own names, short names, aliases,
unambiguous surnames, launches' spacecraft, acronyms of long names) and the facts rules reason with (an agency's
kind and country, who held which post when, who took part in which meeting)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

STOPWORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de"}


@dataclass(frozen=True)
class Record:
    type: str
    slug: str
    name: str
    short_name: str = ""
    native_name: str = ""
    kind: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    # places
    parent: str = ""
    # launches
    vehicle: str = ""
    spacecraft: str = ""
    operator: str = ""
    site: str = ""
    destination: str = ""
    status: str = ""
    crew: tuple[str, ...] = ()
    # launches and meetings
    earliest: dt.date | None = None
    latest: dt.date | None = None
    # meetings
    participants: tuple[str, ...] = ()
    place: str = ""
    related_launch: str = ""
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Post:
    """A tenure: who held which post at which agency, and the days it may have covered (None: unbounded)."""

    slug: str
    person: str
    agency: str
    title: str
    is_head: bool
    is_acting: bool
    start_earliest: dt.date | None = None
    start_latest: dt.date | None = None
    end_earliest: dt.date | None = None
    end_latest: dt.date | None = None
    open_end: bool = True

    def active_during(self, first: dt.date | None, last: dt.date | None) -> bool:
        if last and self.start_earliest and self.start_earliest > last:
            return False
        return not (first and not self.open_end and self.end_latest and self.end_latest < first)

    def distance(self, day: dt.date) -> int:
        """Days between `day` and the span the post surely covers (0 inside it): ranks posts possibly active."""
        start = self.start_latest or self.start_earliest
        end = None if self.open_end else (self.end_earliest or self.end_latest)
        if start and day < start:
            return (start - day).days
        if end and day > end:
            return (day - end).days
        return 0


@dataclass(frozen=True)
class Name:
    text: str
    type: str
    slug: str
    how: str  # name, short_name, alias, surname, spacecraft, acronym, native_name


@dataclass
class Gazetteer:
    records: list[Record] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)

    def __post_init__(self):
        self.by_key = {(r.type, r.slug): r for r in self.records}
        self.names = self._names()
        self._pattern = None

    def get(self, type_: str, slug: str) -> Record | None:
        return self.by_key.get((type_, slug))

    def of_type(self, type_: str) -> list[Record]:
        return [r for r in self.records if r.type == type_]

    def _names(self) -> list[Name]:
        names: list[Name] = []
        for r in self.records:
            if r.type in ("tenure", "meeting"):
                continue
            names.append(Name(r.name, r.type, r.slug, "name"))
            if r.short_name:
                names.append(Name(r.short_name, r.type, r.slug, "short_name"))
            if r.native_name:
                names.append(Name(r.native_name, r.type, r.slug, "native_name"))
            if r.spacecraft and r.spacecraft != r.name and r.type == "launch":
                names.append(Name(r.spacecraft, r.type, r.slug, "spacecraft"))
            names += [Name(alias, r.type, r.slug, "alias") for alias in r.aliases]
            words = [w for w in re.split(r"[\s-]+", r.name) if w]
            capitals = [w for w in words if w.lower() not in STOPWORDS]
            if r.type in ("agency", "place") and len(capitals) >= 3 and all(w[0].isupper() for w in capitals):
                names.append(Name("".join(w[0] for w in capitals), r.type, r.slug, "acronym"))
        # A person's surname alone names them when no other person shares it.
        surnames = Counter(r.name.split()[-1] for r in self.records if r.type == "person" and " " in r.name)
        for r in self.records:
            if r.type == "person" and " " in r.name and surnames[r.name.split()[-1]] == 1:
                names.append(Name(r.name.split()[-1], r.type, r.slug, "surname"))
        # A name two records share names neither (an acronym or alias clash): leave it to other rules.
        owners = Counter()
        for n in {(n.text.lower(), n.type, n.slug) for n in names}:
            owners[n[0]] += 1
        own = {(r.name.lower(), r.type, r.slug) for r in self.records}
        return [
            n
            for n in names
            if len(n.text) >= 2 and (owners[n.text.lower()] == 1 or (n.text.lower(), n.type, n.slug) in own)
        ]

    def posts_of(self, person: str, agency: str = "") -> list[Post]:
        return [p for p in self.posts if p.person == person and (not agency or p.agency == agency)]

    def heads_of(self, agency: str, *, first: dt.date | None, last: dt.date | None) -> list[Post]:
        """The agency's head posts possibly held in [first, last], the surest first."""
        heads = [p for p in self.posts if p.agency == agency and p.is_head and p.active_during(first, last)]
        day = first or last
        # Within a month of each other, a post still open is likelier than one known to have ended about then.
        return sorted(
            heads, key=lambda p: ((p.distance(day) // 32, not p.open_end, p.distance(day)) if day else (0,), p.slug)
        )

    @classmethod
    def from_database(cls) -> Gazetteer:
        from events.models import Agency, Claim, Launch, Meeting, Person, Place, Tenure, Topic

        aliases: dict[tuple[str, int], list[str]] = {}
        for claim in Claim.objects.current().filter(field="alias"):
            subject_id = getattr(claim, f"{claim.subject_type}_id", None)
            if subject_id:
                aliases.setdefault((claim.subject_type, subject_id), []).append(claim.value)

        def alias_of(type_, pk):
            return tuple(aliases.get((type_, pk), ()))

        records = []
        for a in Agency.objects.all():
            records.append(
                Record(
                    "agency",
                    a.slug,
                    a.name,
                    a.short_name,
                    kind=a.kind,
                    country=a.country,
                    aliases=alias_of("agency", a.pk),
                )
            )
        for p in Person.objects.all():
            records.append(
                Record(
                    "person",
                    p.slug,
                    p.name,
                    native_name=p.native_name,
                    country=p.nationality,
                    aliases=alias_of("person", p.pk),
                )
            )
        for p in Place.objects.select_related("parent"):
            records.append(
                Record(
                    "place",
                    p.slug,
                    p.name,
                    kind=p.kind,
                    country=p.country,
                    aliases=alias_of("place", p.pk),
                    parent=p.parent.slug if p.parent else "",
                )
            )
        for t in Topic.objects.all():
            records.append(Record("topic", t.slug, t.name, aliases=alias_of("topic", t.pk)))
        for launch in Launch.objects.select_related("operator", "site", "destination").prefetch_related("crew__person"):
            records.append(
                Record(
                    "launch",
                    launch.slug,
                    launch.name,
                    vehicle=launch.vehicle,
                    spacecraft=launch.spacecraft,
                    operator=launch.operator.slug if launch.operator else "",
                    site=launch.site.slug if launch.site else "",
                    destination=launch.destination.slug if launch.destination else "",
                    status=launch.status,
                    crew=tuple(sorted(c.person.slug for c in launch.crew.all())),
                    earliest=launch.date_earliest,
                    latest=launch.date_latest,
                    aliases=alias_of("launch", launch.pk),
                )
            )
        for m in Meeting.objects.select_related("place", "related_launch").prefetch_related(
            "participants__person", "topics"
        ):
            records.append(
                Record(
                    "meeting",
                    m.slug,
                    m.title,
                    kind=m.kind,
                    status=m.status,
                    earliest=m.date_earliest,
                    latest=m.date_latest,
                    participants=tuple(sorted(p.person.slug for p in m.participants.all())),
                    place=m.place.slug if m.place else "",
                    related_launch=m.related_launch.slug if m.related_launch else "",
                    topics=tuple(sorted(t.slug for t in m.topics.all())),
                )
            )
        posts = [
            Post(
                t.slug,
                t.person.slug,
                t.agency.slug,
                t.title,
                t.is_head,
                t.is_acting,
                t.start_earliest,
                t.start_latest,
                t.end_earliest,
                t.end_latest,
                open_end=not t.end_edtf,
            )
            for t in Tenure.objects.select_related("person", "agency")
        ]
        return cls(records=records, posts=posts)
