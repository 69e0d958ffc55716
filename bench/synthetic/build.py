"""The builder behind synthetic_generate: reference records first, then events in batches.

Rows are dicts keyed by attribute name, written by rows_insert.
"""

import bisect
import datetime as dt
import hashlib
import random
from collections import Counter

from bench.synthetic import vocab
from bench.synthetic.writer import rows_insert
from events.claimfields import CLAIM_FIELDS, DATE_FIELDS
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic
from events.models.events import lineup_key

MEETING_STATUSES = (("held", 80), ("cancelled", 8), ("postponed", 5), ("disputed", 7))
FUTURE_MEETING_STATUSES = (("planned", 60), ("proposed", 40))
LAUNCH_STATUSES = (("success", 85), ("failure", 5), ("partial_failure", 3), ("aborted_crew_safe", 2), ("launched", 5))
DEPRECATION_NOTE = "Contradicted by later reports; kept as this source's version."
DATE_CLAIMS = frozenset(DATE_FIELDS)


def pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def dated(prefix: str, date: tuple) -> dict:
    return dict(zip((f"{prefix}_edtf", f"{prefix}_earliest", f"{prefix}_latest", f"{prefix}_text"), date, strict=True))


class Builder:
    def __init__(self, rng: random.Random, *, batch_size: int, on_insert=None):
        self.rng = rng
        self.on_insert = on_insert  # called with (model, rows) after each batch goes in: progress, for one
        # Claims draw from their own stream, so the records do not depend on the batch size.
        self.claim_rng = random.Random(rng.getrandbits(64))  # noqa: S311 - test data, not secrets
        self.batch_size = batch_size
        self.created = Counter()
        self._claims = []

    def _insert(self, model, rows: list[dict]) -> list[dict]:
        self.created[model._meta.label if not model._meta.auto_created else "events.Meeting_topics"] += len(rows)
        rows = rows_insert(model, rows)
        if self.on_insert is not None:
            self.on_insert(model, len(rows))
        return rows

    # Reference records -------------------------------------------------------------------------

    def reference(self, *, people: int) -> None:
        rng = self.rng
        self.sources = self._insert(
            Source,
            [
                {
                    "slug": f"syn-source-{i:02d}",
                    "title": f"Synthetic report {i}",
                    "outlet": "Load test wire",
                    "kind": "news",
                    "reliability": rng.choice(("high", "medium", "low")),
                    "summary": "Invented for load tests; states nothing about the real world.",
                    "sha256": hashlib.sha256(f"syn-source-{i}".encode()).hexdigest(),
                    "paragraphs": 40,
                }
                for i in range(1, 13)
            ],
        )
        n_agencies = max(2, min(40, people // 20))
        words = [vocab.word(rng) for _ in range(n_agencies)]
        self.agencies = self._insert(
            Agency,
            [
                {
                    "slug": f"syn-agency-{i + 1:02d}",
                    "name": f"{w} Space Agency",
                    "short_name": f"{w[:3].upper()}SA",
                    "kind": rng.choice(("space_agency",) * 4 + ("government", "company")),
                    "country": rng.choice(vocab.COUNTRIES),
                }
                for i, w in enumerate(words)
            ],
        )
        # A few agencies meet far more often than the rest, as in the real world.
        self.agency_weights = [1 / (rank + 1) ** 0.8 for rank in range(n_agencies)]
        cities = self._insert(
            Place,
            [
                {
                    "slug": f"syn-place-{i:03d}",
                    "name": vocab.word(rng, 3),
                    "kind": "city",
                    "country": rng.choice(vocab.COUNTRIES),
                }
                for i in range(1, 61)
            ],
        )
        sites = []
        for i in range(61, 201):
            kind, parent = rng.choice(("spaceport", "facility")), rng.choice(cities)
            label = "Cosmodrome" if kind == "spaceport" else "Centre"
            sites.append(
                {
                    "slug": f"syn-place-{i:03d}",
                    "name": f"{vocab.word(rng)} {label}",
                    "kind": kind,
                    "country": parent["country"],
                    "parent_id": parent["id"],
                    "parent_slug": parent["slug"],
                }
            )
        self._insert(Place, sites)
        stations = [
            {"slug": f"syn-place-{i:03d}", "name": f"{vocab.word(rng)} Station", "kind": "station"} for i in (201, 202)
        ]
        self._insert(Place, stations)
        self.places, self.destinations = cities + sites, stations
        self.spaceports = [p for p in sites if p["kind"] == "spaceport"]
        pairs = [(a, b) for a in vocab.TOPIC_WORDS for b in vocab.TOPIC_WORDS if a != b]
        self.topics = self._insert(
            Topic,
            [
                {"slug": f"syn-topic-{i:02d}", "name": f"{a} {b}".capitalize()}
                for i, (a, b) in enumerate(rng.sample(pairs, 30), 1)
            ],
        )
        self.people = self._insert(
            Person,
            [
                {
                    "slug": f"syn-person-{i:05d}",
                    "name": vocab.person_name(rng),
                    "nationality": rng.choice(vocab.COUNTRIES),
                }
                for i in range(1, people + 1)
            ],
        )
        self.staff = [self.people[i :: len(self.agencies)] for i in range(len(self.agencies))]
        self._tenures()
        for agency in self.agencies:
            self.claims_about("agency", agency, {f: agency[f] for f in ("name", "short_name", "kind", "country")})
        for place in self.places + stations:
            values = {"name": place["name"], "kind": place["kind"], "country": place.get("country", "")}
            self.claims_about("place", place, {**values, "parent": place.get("parent_slug", "")})
        for topic in self.topics:
            self.claims_about("topic", topic, {"name": topic["name"]})
        for person in self.people:
            values = {"name": person["name"], "native_name": "", "nationality": person["nationality"]}
            self.claims_about("person", person, values)
        for tenure in self.tenures:
            values = {
                "title": tenure["title"],
                "person": tenure["person"]["slug"],
                "agency": tenure["agency_slug"],
                "is_head": "true" if tenure["is_head"] else "false",
                "is_acting": "false",
                "predecessor": "",
                "start": tenure["start_edtf"],
                "end": tenure["end_edtf"],
            }
            self.claims_about("tenure", tenure, values)
        self.flush_claims()

    def _tenures(self) -> None:
        """Heads of every agency in succession, each with a deputy; the last head is still in office."""
        rng, rows, self.heads = self.rng, [], []
        for a, agency in enumerate(self.agencies):
            day, terms = vocab.FIRST_DAY + dt.timedelta(days=rng.randint(0, 900)), []
            while day < vocab.CUTOFF:
                start = vocab.fuzzy(rng, day)
                end_day = start[2] + dt.timedelta(days=rng.randint(2 * 365, 8 * 365))
                end = vocab.fuzzy(rng, end_day) if end_day < vocab.CUTOFF else ("", None, None, "")
                n = len(terms) + 1
                head, deputy = rng.sample(self.staff[a], 2) if len(self.staff[a]) > 1 else (self.staff[a][0],) * 2
                for person, title, is_head in ((head, rng.choice(vocab.TITLES), True), (deputy, None, False)):
                    row = {
                        "slug": f"syn-tenure-{a + 1:02d}-{n:02d}{'' if is_head else 'd'}",
                        "person_id": person["id"],
                        "agency_id": agency["id"],
                        "title": title or rng.choice(vocab.DEPUTY_TITLES),
                        "is_head": is_head,
                        "is_acting": False,
                        **dated("start", start),
                        **dated("end", end),
                        "person": person,
                        "agency_slug": agency["slug"],
                    }
                    rows.append(row)
                    if is_head:
                        terms.append(row)
                if not end[0]:
                    break
                day = end[2] + dt.timedelta(days=rng.randint(1, 60))
            self.heads.append(([t["start_earliest"] for t in terms], terms))
        self.tenures = self._insert(Tenure, rows)

    def head_on(self, agency_index: int, day: dt.date) -> dict | None:
        starts, terms = self.heads[agency_index]
        i = bisect.bisect_right(starts, day) - 1
        if i < 0:
            return None
        term = terms[i]
        return term if term["end_latest"] is None or term["end_latest"] >= day else None

    # Events ------------------------------------------------------------------------------------

    def _batches(self, count: int):
        for first in range(0, count, self.batch_size):
            yield range(first + 1, min(count, first + self.batch_size) + 1)

    def meetings(self, count: int) -> None:
        rng, earliest = self.rng, vocab.FIRST_DAY + dt.timedelta(days=1500)
        for batch in self._batches(count):
            meetings, members, topic_links = [], [], []
            for i in batch:
                date = vocab.fuzzy(rng, vocab.day_between(rng, earliest, vocab.LAST_DAY))
                sides = self._sample_agencies(rng.choices((2, 3, 4), (70, 25, 5))[0])
                people = self._delegations(sides, date[1])
                names = [self.agencies[a]["short_name"] for a in sides]
                place = rng.choice(self.places) if rng.random() < 0.9 else None
                meetings.append(
                    {
                        "slug": f"syn-meeting-{i:06d}",
                        "title": f"{'–'.join(names)} talks, {date[1].year}",
                        "kind": "bilateral" if len(sides) == 2 else "multilateral",
                        "status": pick(rng, FUTURE_MEETING_STATUSES if date[1] >= vocab.CUTOFF else MEETING_STATUSES),
                        "format": pick(rng, (("in_person", 70), ("virtual", 10), ("unknown", 20))),
                        **dated("date", date),
                        "place_id": place and place["id"],
                        "summary": f"Invented meeting of {', '.join(names)} for load tests.",
                        "lineup": lineup_key((p["agency_id"], p["head_of"]) for p in people),
                        "place_slug": place and place["slug"],
                    }
                )
                members.append(people)
                topic_links.append(rng.sample(self.topics, rng.randint(0, 3)))
            self._insert(Meeting, meetings)
            participants, links = [], []
            for meeting, people, topics in zip(meetings, members, topic_links, strict=True):
                for participant in people:
                    participant["meeting_id"] = meeting["id"]
                participants.extend(people)
                links.extend({"meeting_id": meeting["id"], "topic_id": t["id"]} for t in topics)
                values = {
                    "title": meeting["title"],
                    "kind": meeting["kind"],
                    "status": meeting["status"],
                    "format": meeting["format"],
                    "date": meeting["date_edtf"],
                    "place": meeting["place_slug"] or "",
                    "related_launch": "",
                    "launch_relation": "",
                    "topics": ",".join(sorted(t["slug"] for t in topics)),
                    "participants": ",".join(sorted(p["person_slug"] for p in people)),
                }
                self.claims_about("meeting", meeting, values, rival_status=("held", "cancelled"))
            self._insert(Participant, participants)
            self._insert(Meeting.topics.through, links)
            self.flush_claims()

    def _sample_agencies(self, k: int) -> list[int]:
        chosen, k = set(), min(k, len(self.agencies))
        while len(chosen) < k:
            chosen.add(self.rng.choices(range(len(self.agencies)), self.agency_weights)[0])
        return sorted(chosen)

    def _delegations(self, sides: list[int], day: dt.date) -> list[dict]:
        """Per agency its head on the day (most of the time) and staff; each person once."""
        rng, people, seen = self.rng, [], set()
        for a in sides:
            agency_id, head, sent = self.agencies[a]["id"], self.head_on(a, day), []
            if head is not None and rng.random() < 0.65:
                sent.append((head["person"], head["id"], vocab.ROLES[0]))
            for person in rng.sample(
                self.staff[a], min(1 if not sent else int(rng.random() < 0.3), len(self.staff[a]))
            ):
                sent.append((person, None, rng.choice(vocab.ROLES[1:])))
            for person, tenure_id, role in sent:
                if person["id"] not in seen:
                    seen.add(person["id"])
                    people.append(
                        {
                            "person_id": person["id"],
                            "agency_id": agency_id,
                            "tenure_id": tenure_id,
                            "role": role,
                            "head_of": agency_id if tenure_id else None,
                            "person_slug": person["slug"],
                        }
                    )
        return people

    def launches(self, count: int) -> None:
        rng = self.rng
        for batch in self._batches(count):
            launches, crews = [], []
            for i in batch:
                date = vocab.fuzzy(rng, vocab.day_between(rng, vocab.FIRST_DAY, vocab.LAST_DAY))
                a = rng.choices(range(len(self.agencies)), self.agency_weights)[0]
                craft = rng.choice(vocab.SPACECRAFT)
                vehicle = rng.choice(vocab.VEHICLES)
                site = rng.choice(self.spaceports) if self.spaceports else None
                destination = rng.choice(self.destinations) if rng.random() < 0.3 else None
                launches.append(
                    {
                        "slug": f"syn-launch-{i:05d}",
                        "name": f"{craft} {i}",
                        "vehicle": vehicle,
                        "spacecraft": craft,
                        "operator_id": self.agencies[a]["id"],
                        "site_id": site and site["id"],
                        "destination_id": destination and destination["id"],
                        **dated("date", date),
                        "status": "planned" if date[1] >= vocab.CUTOFF else pick(rng, LAUNCH_STATUSES),
                        "summary": "Invented launch for load tests.",
                        "operator_slug": self.agencies[a]["slug"],
                        "site_slug": site["slug"] if site else "",
                        "destination_slug": destination["slug"] if destination else "",
                    }
                )
                flyers = (
                    rng.sample(self.staff[a], min(rng.randint(1, 4), len(self.staff[a]))) if rng.random() < 0.4 else []
                )
                roles = rng.sample(vocab.CREW_ROLES, len(flyers))
                crews.append(
                    [
                        {"person_id": p["id"], "agency_id": self.agencies[a]["id"], "role": r, "slug": p["slug"]}
                        for p, r in zip(flyers, roles, strict=True)
                    ]
                )
            self._insert(Launch, launches)
            members = []
            for launch, crew in zip(launches, crews, strict=True):
                for member in crew:
                    member["launch_id"] = launch["id"]
                members.extend(crew)
                values = {
                    "name": launch["name"],
                    "vehicle": launch["vehicle"],
                    "spacecraft": launch["spacecraft"],
                    "operator": launch["operator_slug"],
                    "site": launch["site_slug"],
                    "destination": launch["destination_slug"],
                    "date": launch["date_edtf"],
                    "status": launch["status"],
                    "crew": ",".join(sorted(m["slug"] for m in crew)),
                }
                self.claims_about("launch", launch, values, rival_status=("success", "failure"))
            self._insert(CrewMember, members)
            self.flush_claims()

    # Claims ------------------------------------------------------------------------------------

    def claims_about(self, subject_type: str, record: dict, values: dict, rival_status: tuple | None = None) -> None:
        """Claims from two to five sources that between them state every value the record holds.

        `values` has each claimable field of the record as claim text (what record_value gives).
        The sources take the values in turn, so each value set has a claim; when there are more
        sources than values, the extra sources state values again. Now and then a further source
        states another status; that disagreement is kept, and one time in two it has already been
        judged wrong (deprecated) and the record's version preferred.
        """
        rng = self.claim_rng
        specs = {f: s for f, s in CLAIM_FIELDS[subject_type].items() if not s.many}  # aliases: no record holds one
        if values.keys() != specs.keys():
            raise ValueError(f"Synthetic {subject_type} values are not its claimable fields: {sorted(values)}")
        fields = [f for f, spec in specs.items() if spec.is_set(values[f])]
        sources = rng.sample(self.sources, rng.randint(2, 5))
        # Whether a source disagrees is drawn before the claims, whose number varies with the record.
        disputed = rival_status is not None and rng.random() < 0.06
        judged = disputed and rng.random() < 0.5
        mine = [
            self._claim(sources[n % len(sources)], subject_type, record, fields[n % len(fields)], values)
            for n in range(max(len(fields), len(sources)))
        ]
        if disputed:
            if judged:
                next(c for c in mine if c["field"] == "status")["rank"] = "preferred"
            rival = rival_status[1] if values["status"] == rival_status[0] else rival_status[0]
            outsider = next(s for s in self.sources if s not in sources)
            claim = self._claim(outsider, subject_type, record, "status", {"status": rival})
            if judged:
                claim.update(rank="deprecated", note=DEPRECATION_NOTE)
            mine.append(claim)
        self._claims.extend(mine)

    def _claim(self, source: dict, subject_type: str, record: dict, field: str, values: dict) -> dict:
        is_date = (subject_type, field) in DATE_CLAIMS
        return {
            "source_id": source["id"],
            "subject_type": subject_type,
            f"{subject_type}_id": record["id"],
            "field": field,
            "value": values[field],
            "value_earliest": record[f"{field}_earliest"] if is_date else None,
            "value_latest": record[f"{field}_latest"] if is_date else None,
            "rank": "normal",
            "locator": str(self.claim_rng.randint(1, source["paragraphs"])),
        }

    def flush_claims(self) -> None:
        self._insert(Claim, self._claims)
        self._claims = []
