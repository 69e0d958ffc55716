"""Synthetic load-test records: counts, claims, validity, reproducibility, clearing, and the command."""

import contextlib
import datetime as dt
import io
import json
import signal
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Q

from bench.synthetic.generate import PREFIX, synthetic_clear, synthetic_generate
from events.claimfields import CLAIM_FIELDS, DATE_FIELDS, SUBJECT_TYPES, record_value
from events.fuzzydates import Bounds, edtf_bounds
from events.models import (
    Agency,
    Claim,
    CrewMember,
    DatasetRevision,
    Launch,
    Meeting,
    Participant,
    Person,
    Place,
    Source,
    Tenure,
    Topic,
)
from events.selectors import preferred_claim_mismatches, unsupported_values
from tests.factories import (
    AgencyFactory,
    ClaimFactory,
    CrewMemberFactory,
    LaunchFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    TenureFactory,
    TopicFactory,
)

# 80 people make four agencies, enough for the largest meetings (four agencies); see
# test_fewer_agencies_than_a_meeting_needs_does_not_hang for smaller numbers.
SIZE = {"meetings": 80, "launches": 20, "people": 80}
BATCH = 25  # meetings and launches go in several batches, the last one short
SEED = 7
TOPICS = Meeting.topics.through
TOPICS_LABEL = "events.Meeting_topics"

# How to reach the synthetic rows of each model: by their own slug, or by their parent's.
SYNTHETIC_LOOKUP = {
    Source: "slug",
    Agency: "slug",
    Place: "slug",
    Topic: "slug",
    Person: "slug",
    Tenure: "slug",
    Meeting: "slug",
    Launch: "slug",
    Participant: "meeting__slug",
    CrewMember: "launch__slug",
    TOPICS: "meeting__slug",
    Claim: "source__slug",
}
SUBJECT_MODELS = {t: Claim._meta.get_field(t).related_model for t in SUBJECT_TYPES}


def label(model) -> str:
    return TOPICS_LABEL if model is TOPICS else model._meta.label


def synthetic(model):
    return model.objects.filter(**{f"{SYNTHETIC_LOOKUP[model]}__startswith": PREFIX})


def generate(seed=SEED, **size):
    return synthetic_generate(**{**SIZE, **size}, seed=seed, batch_size=BATCH)


@pytest.fixture
def created(seeded):
    return generate()


def about_synthetic_records() -> Q:
    return Q.create([(f"{t}__slug__startswith", PREFIX) for t in SUBJECT_TYPES], connector=Q.OR)


def lineup_by_slug(lineup: str, slugs: dict[int, str]) -> str:
    """A lineup with agency slugs for ids, comparable across runs that give the agencies other ids."""
    if not lineup:
        return lineup
    agencies, level = lineup.split("/")
    return ".".join(slugs[int(pk)] for pk in agencies.split(".")) + "/" + level


# What names a related row that has no slug, the same in every run.
NATURAL_KEYS = {Claim: ("source__slug", "field", "value"), get_user_model(): ("username",)}


def snapshot_columns(model) -> list[str]:
    columns = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if not f.is_relation:
            columns.append(f.name)
        else:
            columns.extend(f"{f.name}__{key}" for key in NATURAL_KEYS.get(f.related_model, ("slug",)))
    return columns


def synthetic_snapshot() -> dict[str, list]:
    """Every column of every synthetic row, with slugs for foreign keys: no ids, so runs can be compared."""
    agency_slugs = dict(Agency.objects.values_list("pk", "slug"))
    snapshot = {}
    for model in SYNTHETIC_LOOKUP:
        columns = snapshot_columns(model)
        rows = [list(row) for row in synthetic(model).values_list(*columns)]
        if model is Meeting:
            at = columns.index("lineup")
            for row in rows:
                row[at] = lineup_by_slug(row[at], agency_slugs)
        snapshot[label(model)] = sorted(map(tuple, rows), key=repr)
    return snapshot


def database_snapshot() -> list[dict]:
    """Every row of every model in the app (history included) but the dataset's change time."""
    rows = []
    models = [m for m in apps.get_app_config("events").get_models() if m is not DatasetRevision] + [TOPICS]
    for model in models:
        rows.extend(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    return rows


@contextlib.contextmanager
def time_limit(seconds: int):
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- what is created ------------------------------------------------------------------------------


def test_exact_counts_of_meetings_launches_and_people(created):
    assert synthetic(Meeting).count() == 80
    assert synthetic(Launch).count() == 20
    assert synthetic(Person).count() == 80
    assert sorted(synthetic(Meeting).values_list("slug", flat=True)) == [f"syn-meeting-{i:06d}" for i in range(1, 81)]
    assert sorted(synthetic(Launch).values_list("slug", flat=True)) == [f"syn-launch-{i:05d}" for i in range(1, 21)]
    assert sorted(synthetic(Person).values_list("slug", flat=True)) == [f"syn-person-{i:05d}" for i in range(1, 81)]


def test_reported_counts_are_the_rows_in_the_database(created):
    assert {label(model): synthetic(model).count() for model in SYNTHETIC_LOOKUP} == dict(created)
    assert all(created[label(model)] > 0 for model in SYNTHETIC_LOOKUP)


def test_every_meeting_brings_two_to_four_agencies(created):
    assert not synthetic(Participant).filter(agency__isnull=True).exists()
    sides = synthetic(Meeting).annotate(agencies=Count("participants__agency", distinct=True))
    for meeting in sides:
        assert 2 <= meeting.agencies <= 4, meeting.slug
        assert meeting.kind == (Meeting.Kind.BILATERAL if meeting.agencies == 2 else Meeting.Kind.MULTILATERAL)


@pytest.mark.parametrize("model", [Meeting, Launch], ids=lambda m: m.__name__)
def test_two_to_five_sources_per_event_and_at_most_one_rival_status(created, model):
    subject_type = model._meta.model_name
    members = ("topics", "participants__person") if model is Meeting else ("crew__person",)
    for record in synthetic(model).prefetch_related("claims", *members):
        claims = list(record.claims.all())
        own = [c for c in claims if c.value == record_value(record, c.field)]
        rivals = [c for c in claims if c not in own]
        sources = {c.source_id for c in own}
        assert 2 <= len(sources) <= 5, (record.slug, claims)
        # Each value the record holds has a claim; a further claim only where there are more sources than values.
        held = {f for f, spec in CLAIM_FIELDS[subject_type].items() if spec.is_set(record_value(record, f))}
        assert {c.field for c in own} == held, (record.slug, claims)
        assert len(own) == max(len(held), len(sources)), (record.slug, claims)
        assert len(rivals) <= 1, (record.slug, claims)
        assert all(c.field == "status" for c in rivals), (record.slug, rivals)
        assert len({(c.source_id, c.field) for c in claims}) == len(claims), "a source states each field once"
        assert not sources & {c.source_id for c in rivals}, "a rival status comes from another source"
        assert all(c.subject_type == subject_type for c in claims)


def test_claims_about_synthetic_records_come_from_synthetic_sources(created):
    about = Claim.objects.filter(about_synthetic_records())
    assert about.count() == synthetic(Claim).count() > 0
    assert not about.exclude(source__slug__startswith=PREFIX).exists()
    # ... and synthetic sources say nothing about the seed dataset.
    assert not synthetic(Claim).exclude(about_synthetic_records()).exists()


def test_every_synthetic_source_makes_claims(created):
    assert not synthetic(Source).filter(claims__isnull=True).exists()


@pytest.mark.parametrize(
    "subject_type",
    [t for t in SUBJECT_TYPES],
)
def test_every_synthetic_record_is_backed_by_a_claim(created, subject_type):
    records = synthetic(SUBJECT_MODELS[subject_type])
    assert records.exists()
    assert list(records.filter(claims__isnull=True).values_list("slug", flat=True)) == []


@pytest.mark.parametrize("subject_type", SUBJECT_TYPES)
def test_every_value_of_every_synthetic_record_rests_on_a_standing_claim(created, subject_type):
    records = synthetic(SUBJECT_MODELS[subject_type])
    assert records.exists()
    assert unsupported_values(subject_type=subject_type, records=records) == []


def test_every_kind_of_value_is_claimed(created):
    """Links, sets of links, dates, flags and choices all have claims, not only names and titles."""
    claimed = set(synthetic(Claim).values_list("subject_type", "field").distinct())
    unset_everywhere = {
        ("person", "native_name"),
        ("tenure", "is_acting"),
        ("tenure", "predecessor"),
        ("meeting", "related_launch"),
        ("meeting", "launch_relation"),
    }
    own = {(t, f) for t, specs in CLAIM_FIELDS.items() for f, spec in specs.items() if not spec.many}  # no aliases
    assert claimed == own - unset_everywhere


def test_every_head_tenure_is_backed_by_a_claim(created):
    heads = synthetic(Tenure).filter(is_head=True)
    assert heads.exists()
    assert not heads.filter(claims__isnull=True).exists()


def test_claims_state_the_records_own_values_but_rival_statuses(created):
    rivals = Counter()
    claims = synthetic(Claim).select_related(*SUBJECT_TYPES, "place__parent", "tenure__person", "tenure__agency")
    claims = claims.select_related("meeting__place", "launch__operator", "launch__site", "launch__destination")
    claims = claims.prefetch_related("meeting__participants__person", "meeting__topics", "launch__crew__person")
    for claim in claims:
        if claim.value != record_value(claim.subject, claim.field):
            assert (claim.subject_type, claim.field) in {("meeting", "status"), ("launch", "status")}, claim
            rivals[claim.subject_type] += 1
        if claim.rank == Claim.Rank.DEPRECATED:
            assert claim.note, claim
            assert claim.value != record_value(claim.subject, claim.field), "only a rival is judged wrong"
    assert rivals, "some sources disagree"


# --- validity ----------------------------------------------------------------------------------------

FULL_CLEAN = [
    (Source, ()),
    (Agency, ()),
    (Place, ("parent",)),
    (Topic, ()),
    (Person, ()),
    (Tenure, ("person", "agency")),
    (Meeting, ("place",)),
    (Participant, ("meeting", "person", "agency", "tenure")),
    (Launch, ("operator", "site", "destination")),
    (CrewMember, ("launch", "person", "agency")),
    (Claim, ("source", *SUBJECT_TYPES)),
]


@pytest.mark.parametrize(("model", "related"), [pytest.param(m, r, id=m.__name__) for m, r in FULL_CLEAN])
def test_every_generated_record_passes_full_clean(created, model, related):
    records = list(synthetic(model).select_related(*related))
    assert len(records) == created[label(model)]
    for record in records:
        stored = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields}
        # Uniqueness, constraints and references were checked by the database as the rows went in; the rules
        # only Python knows (field validators, clean()) are what is left to check here.
        references = [f.name for f in model._meta.concrete_fields if f.is_relation]
        record.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
        # Validation normalises values and derives bounds: the stored ones were already right.
        assert {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields} == stored


def test_every_generated_topic_link_is_to_a_synthetic_topic(created):
    assert synthetic(TOPICS).count() == synthetic(TOPICS).filter(topic__slug__startswith=PREFIX).count() > 0


# --- fuzzy dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "name"),
    [
        pytest.param(m, n, id=f"{m.__name__}-{n}")
        for m, n in ((Meeting, "date"), (Launch, "date"), (Tenure, "start"), (Tenure, "end"))
    ],
)
def test_generated_bounds_are_the_parsers(created, model, name):
    rows = synthetic(model).values_list(f"{name}_edtf", f"{name}_earliest", f"{name}_latest")
    precisions = Counter()
    for edtf, earliest, latest in rows:
        if not edtf:
            assert (earliest, latest) == (None, None)
            assert (model, name) == (Tenure, "end"), "only a tenure's end may be unknown: still in office"
            continue
        assert edtf_bounds(edtf) == Bounds(earliest, latest), edtf
        precisions["interval" if "/" in edtf else len(edtf)] += 1
    if model is not Tenure or name == "start":
        assert set(precisions) == {"interval", 7, 10}, "days, months and spans are all generated"


def test_generated_date_claims_have_the_parsers_bounds(created):
    date_claims = Q.create([Q(subject_type=t, field=f) for t, f in DATE_FIELDS], connector=Q.OR)
    claims = synthetic(Claim).filter(date_claims).values_list("value", "value_earliest", "value_latest")
    assert claims
    for value, earliest, latest in claims:
        assert edtf_bounds(value) == Bounds(earliest, latest), value
    others = synthetic(Claim).exclude(date_claims)
    assert others.exists()
    assert not others.filter(Q(value_earliest__isnull=False) | Q(value_latest__isnull=False)).exists()


# --- derived data and claims -------------------------------------------------------------------------


def test_stored_lineups_are_what_refresh_computes(created):
    lineups = Counter(
        lineup.split("/")[1] if lineup else "" for lineup in synthetic(Meeting).values_list("lineup", flat=True)
    )
    assert lineups["heads"] > 0, lineups
    assert lineups["mixed"] > 0, lineups
    assert all(stored == made for stored, made in Meeting.objects.lineups_due().values())


def test_some_meetings_have_a_previous_meeting(created):
    previous_ids = set(synthetic(Meeting).with_previous().values_list("previous_id", flat=True)) - {None}
    assert previous_ids
    # Synthetic agencies never meet the seed's, so a synthetic meeting's previous one is synthetic too.
    assert all(
        slug.startswith(PREFIX) for slug in Meeting.objects.filter(pk__in=previous_ids).values_list("slug", flat=True)
    )


def test_no_preferred_claim_mismatches(created):
    assert synthetic(Claim).filter(rank=Claim.Rank.PREFERRED).exists()
    assert preferred_claim_mismatches() == []


def test_open_and_resolved_conflicts_exist(seeded):
    generate(meetings=400, launches=50)
    disputed = Claim.objects.conflicting(include_deprecated=True).filter(source__slug__startswith=PREFIX)
    assert disputed.exists()
    assert {c.field for c in disputed} == {"status"}
    assert disputed.filter(rank=Claim.Rank.DEPRECATED).exists(), "some conflicts are resolved"
    assert Claim.objects.conflicting().filter(source__slug__startswith=PREFIX).exists(), "some are still open"
    assert preferred_claim_mismatches() == []


# --- reproducibility ---------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_records(seeded):
    generate()
    first = synthetic_snapshot()
    synthetic_clear()
    assert not any(synthetic(model).exists() for model in SYNTHETIC_LOOKUP)
    generate()
    assert synthetic_snapshot() == first
    assert all(first[label(model)] for model in SYNTHETIC_LOOKUP)


def test_another_seed_gives_other_records(seeded):
    generate()
    first = synthetic_snapshot()
    synthetic_clear()
    generate(seed=SEED + 1)
    second = synthetic_snapshot()
    assert second != first
    # The slugs are the same; what they hold is not.
    for model in (Meeting, Person, Claim, Participant):
        assert second[label(model)] != first[label(model)], model


def test_the_batch_size_does_not_change_the_records(seeded):
    synthetic_generate(**SIZE, seed=SEED, batch_size=BATCH)
    first = synthetic_snapshot()
    synthetic_clear()
    synthetic_generate(**SIZE, seed=SEED, batch_size=5000)
    assert synthetic_snapshot() == first


# --- clearing --------------------------------------------------------------------------------------


def test_clear_removes_every_synthetic_row_and_leaves_the_seed_as_it_was(seeded):
    before = database_snapshot()
    created = generate()
    assert database_snapshot() != before
    removed = synthetic_clear()
    assert {k: v for k, v in removed.items() if v} == {k: v for k, v in created.items() if v}
    assert not any(synthetic(model).exists() for model in SYNTHETIC_LOOKUP)
    for model in (Source, Agency, Place, Topic, Person, Tenure, Meeting, Launch):
        assert not model.objects.filter(slug__startswith=PREFIX).exists()
    assert database_snapshot() == before


def test_generating_again_after_clear_works(seeded):
    first = generate()
    synthetic_clear()
    assert generate() == first
    assert all(stored == made for stored, made in Meeting.objects.lineups_due().values())
    assert preferred_claim_mismatches() == []


def create_one_of_each():
    """One new row of each model through the ORM: ids come from the database as usual."""
    source, agency, person = SourceFactory(), AgencyFactory(), PersonFactory()
    place, topic = PlaceFactory(), TopicFactory()
    tenure = TenureFactory(person=person, agency=agency)
    meeting = MeetingFactory(place=place)
    meeting.topics.add(topic)
    participant = ParticipantFactory(meeting=meeting, person=person, agency=agency, tenure=tenure)
    launch = LaunchFactory(operator=agency)
    crew = CrewMemberFactory(launch=launch, person=person, agency=agency)
    claim = ClaimFactory(source=source, meeting=meeting)
    link = TOPICS.objects.get(meeting=meeting, topic=topic)
    return [source, agency, person, place, topic, tenure, meeting, participant, launch, crew, claim, link]


def assert_ids_after_synthetic(records):
    for record in records:
        model = type(record)
        assert record.pk > max(synthetic(model).values_list("pk", flat=True)), model


def test_records_can_be_created_after_a_generate(created):
    assert_ids_after_synthetic(create_one_of_each())


def test_records_can_be_created_after_clear_and_generate_again(seeded):
    generate()
    synthetic_clear()
    first = create_one_of_each()
    generate()
    second = create_one_of_each()
    assert all(b.pk > a.pk for a, b in zip(first, second, strict=True))
    assert_ids_after_synthetic(second)
    # What was created between the runs is not synthetic and survives a clear.
    synthetic_clear()
    for record in first + second:
        assert type(record).objects.filter(pk=record.pk).exists(), record


def test_clear_leaves_no_reference_to_a_removed_record(created):
    meeting = synthetic(Meeting).first()
    source = Source.objects.exclude(slug__startswith=PREFIX).first()
    claim = ClaimFactory(source=source, meeting=meeting, field="title", value=meeting.title)
    with transaction.atomic():
        synthetic_clear()
        connection.check_constraints()  # the foreign keys are deferred: checked here rather than at commit
    assert not Claim.objects.filter(pk=claim.pk).exists()  # the ORM's cascade would take it with the meeting


def test_clear_removes_only_synthetic_records(created):
    city = synthetic(Place).filter(kind=Place.Kind.CITY).first()
    place = PlaceFactory(slug="curated-centre", kind=Place.Kind.FACILITY, parent=city)
    with contextlib.suppress(Exception), transaction.atomic():  # refusing to clear would be fine too
        synthetic_clear()
    assert Place.objects.filter(pk=place.pk).exists()


def test_generate_and_clear_move_the_dataset_revision(seeded):
    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    DatasetRevision.objects.update_or_create(id=1, defaults={"changed_at": long_ago})
    generate()
    assert DatasetRevision.objects.get().changed_at > long_ago
    DatasetRevision.objects.update(changed_at=long_ago)
    synthetic_clear()
    assert DatasetRevision.objects.get().changed_at > long_ago


# --- the command ------------------------------------------------------------------------------------


def command(*args) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", *args, stdout=out)
    return out.getvalue()


def size_args(**size):
    size = {**SIZE, **size}
    return [f"--meetings={size['meetings']}", f"--launches={size['launches']}", f"--people={size['people']}"]


def test_command_generates_and_reports(seeded):
    out = command(*size_args(), "--seed=3")
    assert synthetic(Meeting).count() == 80
    assert synthetic(Launch).count() == 20
    assert synthetic(Person).count() == 80
    counts = {label(model): synthetic(model).count() for model in SYNTHETIC_LOOKUP}
    for name, count in counts.items():
        assert f"{name}: {count} created" in out
    assert f"Generated {sum(counts.values())} synthetic rows (seed 3)." in out


def test_command_is_reproducible(seeded):
    command(*size_args(), "--seed=3")
    first = synthetic_snapshot()
    command("--clear", *size_args(), "--seed=3")  # clear, then generate again, in one run
    assert synthetic_snapshot() == first


def test_command_clear_removes_what_it_generated(seeded):
    before = database_snapshot()
    command(*size_args(), "--seed=3")
    total = sum(synthetic(model).count() for model in SYNTHETIC_LOOKUP)
    out = command("--clear")
    assert f"Removed {total} synthetic rows." in out
    assert database_snapshot() == before
    assert "Removed 0 synthetic rows." in command("--clear")  # nothing left is fine


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Nothing to do"),
        (("--seed=4",), "Nothing to do"),
        (("--meetings=-1", "--people=10"), "Counts cannot be negative."),
        (("--launches=-5",), "Counts cannot be negative."),
        (("--people=-2", "--clear"), "Counts cannot be negative."),
        (("--meetings=5",), "at least 2 people"),
        (("--meetings=5", "--people=1"), "at least 2 people"),
        (("--launches=5", "--people=1"), "at least 2 people"),
    ],
)
def test_command_errors(seeded, args, message):
    before = database_snapshot()
    with pytest.raises(CommandError, match=message):
        command(*args)
    assert database_snapshot() == before


def test_command_refuses_when_synthetic_records_are_present(seeded):
    command(*size_args(), "--seed=3")
    present = synthetic_snapshot()
    with pytest.raises(CommandError, match="already present; remove them first with --clear"):
        command(*size_args(), "--seed=4")
    with pytest.raises(CommandError, match="already present"):
        command("--people=5")
    assert synthetic_snapshot() == present


@pytest.mark.parametrize("people", [2, 60])
def test_fewer_agencies_than_a_meeting_needs_does_not_hang(seeded, people):
    with time_limit(5):
        generate(meetings=40, launches=0, people=people)
    assert synthetic(Meeting).count() == 40
    sides = synthetic(Meeting).annotate(agencies=Count("participants__agency", distinct=True))
    assert set(sides.values_list("agencies", flat=True)) <= {2, 3, 4}
