"""The seed dataset itself: provenance, consistency with the articles, and the disagreements kept."""

import datetime as dt
import hashlib
import re
import tomllib
from collections import defaultdict

import pytest
from django.conf import settings

from events.claimfields import record_value
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic

CARDS = sorted((settings.BASE_DIR / "seeds").glob("*.toml"))
ARTICLES = settings.BASE_DIR.parent / "shared" / "seeds"
needs_articles = pytest.mark.skipif(
    not ARTICLES.is_dir(), reason=f"the article texts are not redistributed; {ARTICLES} is absent on this machine"
)
S0, S1, S2, S3, S4 = (card.stem for card in CARDS)


pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize("model", [Agency, Person, Place, Topic, Tenure, Meeting, Launch], ids=lambda m: m.__name__)
def test_every_record_is_backed_by_a_claim(model):
    unbacked = list(model.objects.filter(claims__isnull=True).values_list("slug", flat=True))
    assert model.objects.exists()
    assert unbacked == []


@pytest.mark.parametrize(
    ("model", "parent", "field"), [(Participant, "meeting", "participants"), (CrewMember, "launch", "crew")]
)
def test_every_participant_and_crew_member_is_named_by_a_current_claim(model, parent, field):
    for row in model.objects.select_related(parent, "person"):
        values = (
            Claim.objects.current()
            .filter(**{parent: getattr(row, parent)}, field=field)
            .values_list("value", flat=True)
        )
        assert any(row.person.slug in value.split(",") for value in values), row


def test_every_preferred_claim_is_the_records_own_value():
    for claim in Claim.objects.filter(rank=Claim.Rank.PREFERRED):
        assert record_value(claim.subject, claim.field) == claim.value, claim


def test_preferred_claims_never_disagree_with_each_other():
    preferred = defaultdict(set)
    for claim in Claim.objects.filter(rank=Claim.Rank.PREFERRED):
        preferred[(claim.subject_type, claim.subject.pk, claim.field)].add(claim.value)
    assert {key: values for key, values in preferred.items() if len(values) > 1} == {}


def test_every_claim_points_into_its_article():
    for claim in Claim.objects.select_related("source"):
        assert all(1 <= n <= claim.source.paragraphs for n in claim.paragraph_numbers()), claim


def test_every_source_makes_claims():
    assert set(Source.objects.filter(claims__isnull=True).values_list("slug", flat=True)) == set()


def test_each_source_card_matches_its_fixture_record():
    # One card per article; the editors' own judgement is a source too, but no article, so it has none.
    articles = Source.objects.articles().order_by("slug")
    assert [card.stem for card in CARDS] == list(articles.values_list("slug", flat=True))
    for path in CARDS:
        card = tomllib.loads(path.read_text())
        source = Source.objects.get(slug=card["id"])
        assert card["id"] == path.stem
        assert {
            "title": source.title,
            "outlet": source.outlet,
            "kind": source.kind,
            "published": source.published_edtf,
            "published_text": source.published_text,
            "sha256": source.sha256,
            "paragraphs": source.paragraphs,
            "reliability": source.reliability,
            "reliability_note": source.reliability_note,
            "summary": source.summary,
        } == {key: value for key, value in card.items() if key != "id"}


@needs_articles
@pytest.mark.parametrize("card", CARDS, ids=lambda p: p.stem)
def test_source_sha256_and_paragraphs_match_the_article(card):
    text = (ARTICLES / f"{card.stem}.txt").read_bytes()
    source = Source.objects.get(slug=card.stem)
    assert source.sha256 == hashlib.sha256(text).hexdigest()
    assert source.paragraphs == sum(1 for line in text.decode().splitlines() if line.strip())


def _word_runs(text, size=6):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@needs_articles
def test_no_article_sentence_is_copied_into_our_words():
    article_runs = set().union(*(_word_runs(p.read_text()) for p in ARTICLES.glob("*.txt")))
    ours = [s.summary for s in Source.objects.all()] + [s.reliability_note for s in Source.objects.all()]
    ours += list(Claim.objects.values_list("note", flat=True)) + list(Meeting.objects.values_list("summary", flat=True))
    ours += list(Launch.objects.values_list("summary", flat=True)) + list(
        Topic.objects.values_list("description", flat=True)
    )
    copied = [text for text in ours if _word_runs(text) & article_runs]
    assert copied == []


def _claims(subject_type, slug, field):
    return {
        (c.source.slug, c.value, c.rank)
        for c in Claim.objects.filter(subject_type=subject_type, field=field, **{f"{subject_type}__slug": slug})
    }


def _disputed(*, include_deprecated):
    return {
        (c.subject_type, c.subject.slug, c.field)
        for c in Claim.objects.conflicting(include_deprecated=include_deprecated)
    }


JULY = "nasa-roscosmos-2025-07"


def test_the_july_2025_meeting_keeps_every_sources_place():
    assert _claims("meeting", JULY, "place") == {
        (S1, "kennedy-space-center", "preferred"),
        (S2, "houston", "normal"),
        (S4, "vienna", "deprecated"),
        (S4, "geneva", "deprecated"),
    }
    assert Meeting.objects.get(slug=JULY).place.slug == "kennedy-space-center"
    # Houston against Kennedy Space Center is still an open disagreement; Vienna and Geneva were judged wrong.
    assert ("meeting", JULY, "place") in _disputed(include_deprecated=False)


def test_the_invented_date_and_participants_are_kept_but_deprecated():
    assert (S4, "2025-08-25", "deprecated") in _claims("meeting", JULY, "date")
    assert (S4, "bill-nelson,yuri-borisov", "deprecated") in _claims("meeting", JULY, "participants")
    meeting = Meeting.objects.get(slug=JULY)
    assert meeting.date_edtf == "2025-07-31"
    assert sorted(meeting.participants.values_list("person__slug", flat=True)) == ["dmitry-bakanov", "sean-duffy"]
    disputed = _disputed(include_deprecated=True)
    assert {("meeting", JULY, "date"), ("meeting", JULY, "participants")} <= disputed
    # A month and a day inside it agree: 001's "last July" is not counted against 002's 31 July.
    assert ("meeting", JULY, "date") not in _disputed(include_deprecated=False)


def test_who_led_each_agency_is_disputed_and_resolved_by_the_later_sources():
    disputed = _disputed(include_deprecated=True)
    assert ("tenure", "yuri-borisov-roscosmos-director-general", "end") in disputed
    assert ("tenure", "bill-nelson-nasa-administrator", "end") in disputed
    heads = Tenure.objects.heads()
    talks = dt.date(2025, 7, 31)
    in_office = heads.filter(agency__slug__in=["nasa", "roscosmos"]).active_on(talks, certain=True)
    assert {t.person.slug for t in in_office} == {"sean-duffy", "dmitry-bakanov"}
    assert not heads.filter(person__slug__in=["yuri-borisov", "bill-nelson"]).active_on(dt.date(2025, 8, 25)).exists()


def test_polaris_dawn_upcoming_or_flown():
    assert _claims("launch", "polaris-dawn", "status") == {(S1, "launched", "preferred"), (S0, "planned", "deprecated")}
    assert ("launch", "polaris-dawn", "date") in _disputed(include_deprecated=True)
    assert Launch.objects.get(slug="polaris-dawn").date_edtf == "2024"


@pytest.mark.parametrize(
    ("subject_type", "slug", "later"), [("meeting", JULY, "held"), ("launch", "crew-11", "launched")]
)
def test_statuses_reported_before_the_event_are_superseded_not_disputed(subject_type, slug, later):
    # Written beforehand, "planned" was right for its day; the later report moves it on rather than contradicting it.
    assert (subject_type, slug, "status") not in _disputed(include_deprecated=False)
    earlier = Claim.objects.filter(**{f"{subject_type}__slug": slug}, field="status").exclude(value=later)
    assert {c.value for c in earlier} == {"planned"}
    assert all(c.superseded_by is not None and c.superseded_by.value == later for c in earlier)


def test_every_deprecated_claim_has_a_competing_version_and_a_reason():
    disputed = _disputed(include_deprecated=True)
    for claim in Claim.objects.filter(rank=Claim.Rank.DEPRECATED):
        assert claim.note
        assert (claim.subject_type, claim.subject.slug, claim.field) in disputed, claim


def test_the_dataset_uses_every_date_precision():
    dates = set(Meeting.objects.values_list("date_edtf", flat=True)) | set(
        Launch.objects.values_list("date_edtf", flat=True)
    )
    dates |= set(Tenure.objects.values_list("start_edtf", flat=True)) | set(
        Tenure.objects.values_list("end_edtf", flat=True)
    )
    assert {"2025-07-31", "2025-02", "2024", "2026-22", "2026-33", "../2025-02"} <= dates
    assert any("/" in d and ".." not in d for d in dates)  # an interval
    summer = Launch.objects.get(slug="soyuz-ms-29")
    assert (summer.date_earliest, summer.date_latest) == (dt.date(2026, 6, 1), dt.date(2026, 8, 31))
    quarter = Meeting.objects.get(date_edtf="2026-33")
    assert (quarter.date_earliest, quarter.date_latest) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


EDITORS = "seed-editors"


def test_the_editors_judgement_points_at_no_paragraph_and_says_why():
    editors = Source.objects.get(slug=EDITORS)
    assert editors.is_judgement
    assert editors.curator.username == "load_seed_data"
    assert (editors.sha256, editors.paragraphs) == ("", 0)
    claims = Claim.objects.filter(source=editors)
    assert claims.exists()
    assert not claims.exclude(locator="").exists()
    assert not claims.filter(note="").exists()
    assert not Claim.objects.exclude(source=editors).filter(locator="").exists()


def test_the_july_2025_agenda_includes_running_the_iss():
    assert "iss-operations" in Meeting.objects.get(slug=JULY).topics.values_list("slug", flat=True)
    for source in (S2, S3):
        (value,) = [v for s, v, _ in _claims("meeting", JULY, "topics") if s == source]
        assert "iss-operations" in value.split(","), source


def test_an_invitation_that_never_became_a_meeting_is_proposed_not_cancelled():
    assert Meeting.objects.get(slug="roscosmos-nasa-moscow-invitation-2025").status == "proposed"
    assert _claims("meeting", "roscosmos-nasa-moscow-invitation-2025", "status") == {(S1, "proposed", "preferred")}


@pytest.mark.parametrize(
    ("subject_type", "slug", "field"),
    [
        # Each article cited before never names the person (002 for Nelson and Borisov) or the launch.
        ("tenure", "bill-nelson-nasa-administrator", "end"),
        ("tenure", "yuri-borisov-roscosmos-director-general", "end"),
        ("launch", "soyuz-ms-10", "site"),
    ],
)
def test_inferences_no_cited_article_states_are_the_editors(subject_type, slug, field):
    standing = {(s, rank) for s, _, rank in _claims(subject_type, slug, field) if rank != "deprecated"}
    assert standing == {(EDITORS, "preferred")}


def test_claims_that_rest_on_inference_say_so():
    for slug in ("soyuz-ms-10", "soyuz-ms-28", "soyuz-ms-29"):
        operator = Claim.objects.get(source__slug=S0, launch__slug=slug, field="operator")
        assert operator.note.startswith("Inferred"), operator
    crew_12 = Claim.objects.get(source__slug=S1, launch__slug="crew-12", field="date")
    assert crew_12.note.startswith("Inferred")
    assert "news conference" in crew_12.note


@pytest.mark.parametrize(
    ("slug", "source"),
    [
        ("russian-orbital-station", S4),
        ("artemis-program", S4),
        ("russia-china-moon-base", S4),
        ("commercial-crew-program", S4),
        ("commercial-resupply-services", S4),
        ("soyuz-crew-access-2011-2020", S4),
        ("cooperation-beyond-iss", S1),
    ],
)
def test_programmes_and_plans_the_articles_name_are_topics(slug, source):
    topic = Topic.objects.get(slug=slug)
    assert topic.description
    assert (source, topic.name, "normal") in _claims("topic", slug, "name")


def test_remarks_and_news_conferences_are_announcements():
    remarks = Meeting.objects.get(slug="bakanov-remarks-after-july-2025-talks")
    conference = Meeting.objects.get(slug="isaacman-news-conference-2026-02-13")
    assert {remarks.kind, conference.kind} == {"announcement"}
    assert (remarks.status, conference.status) == ("held", "held")
    assert list(remarks.topics.values_list("slug", flat=True)) == ["cooperation-beyond-iss"]
    assert (conference.related_launch.slug, conference.launch_relation) == ("crew-12", "after")
    assert conference.date_edtf == "2026-02-13"


def test_bakanov_was_to_tour_boeings_facilities_in_houston():
    visit = Meeting.objects.get(slug="bakanov-boeing-visit-2025-07")
    assert (visit.kind, visit.status) == ("site_visit", "planned")
    assert (visit.place.kind, visit.place.parent.slug) == ("facility", "houston")
    assert list(visit.participants.values_list("person__slug", flat=True)) == ["dmitry-bakanov"]


def test_isaacmans_renomination_is_read_into_his_tenure():
    tenure = Tenure.objects.get(slug="jared-isaacman-nasa-administrator")
    cited = Claim.objects.filter(tenure=tenure, source__slug=S1).exclude(rank="deprecated")
    assert {"title", "start"} <= {c.field for c in cited if 14 in c.paragraph_numbers()}
    assert tenure.start_earliest == dt.date(2025, 8, 1)


def test_crew_11_flew_just_after_the_july_talks_not_in_an_open_span():
    crew_11 = Launch.objects.get(slug="crew-11")
    assert (crew_11.date_earliest, crew_11.date_latest) == (dt.date(2025, 7, 31), dt.date(2025, 8, 31))
    assert not Launch.objects.filter(date_latest__isnull=True).exclude(date_edtf="").exists()


@pytest.mark.parametrize(
    ("slug", "launch", "relation"),
    [
        ("nasa-roscosmos-2018-10", "soyuz-ms-10", "same_day"),
        (JULY, "crew-11", "before"),
        ("isaacman-news-conference-2026-02-13", "crew-12", "after"),
        ("isaacman-soyuz-ms-29-launch-visit", "soyuz-ms-29", "same_day"),
    ],
)
def test_meetings_say_when_they_fell_against_their_launch(slug, launch, relation):
    meeting = Meeting.objects.get(slug=slug)
    assert (meeting.related_launch.slug, meeting.launch_relation) == (launch, relation)
    assert any(s != EDITORS for s, _, _ in _claims("meeting", slug, "launch_relation"))


def test_heads_follow_one_another_and_none_starts_unbounded_after_2018():
    successions = dict(Tenure.objects.filter(predecessor__isnull=False).values_list("slug", "predecessor__slug"))
    assert successions == {
        "jared-isaacman-nasa-administrator": "sean-duffy-nasa-acting-administrator",
        "yuri-borisov-roscosmos-director-general": "dmitry-rogozin-roscosmos-head",
        "dmitry-bakanov-roscosmos-director-general": "yuri-borisov-roscosmos-director-general",
    }
    # Heads the articles place only after October 2018 cannot have started before it.
    for slug in ("bill-nelson-nasa-administrator", "yuri-borisov-roscosmos-director-general"):
        assert Tenure.objects.get(slug=slug).start_earliest == dt.date(2018, 10, 1), slug
    heads = Tenure.objects.heads()
    for agency, head in (("nasa", "jim-bridenstine"), ("roscosmos", "dmitry-rogozin")):
        possible = heads.filter(agency__slug=agency).active_on(dt.date(2015, 1, 1))
        assert [t.person.slug for t in possible] == [head]
