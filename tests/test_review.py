"""Reviewing candidate claims: accepted ones become claims (and values) through the write services, proposed records
are created when accepted, rejected ones stay with their reason; aliases are names of many, never in dispute."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from events.claimfields import record_value
from events.models import Agency, Candidate, Claim, Person, Place, Source, Tenure
from events.review import candidate_relation
from events.services.ingest import candidate_accept, candidate_reject, candidate_revise, candidates_review
from events.services.records import RecordInvalid, record_save

pytestmark = pytest.mark.usefixtures("seeded")

S001 = "001_c34876a6c97edda2"
S003 = "003_007efc6446bec603"


@pytest.fixture
def reviewer(db):
    return get_user_model().objects.create_user("reviewer")


def candidate(subject_type, slug, field, value, *, name="", is_new=False, locator="4", source=S001):
    row = Candidate(
        source=Source.objects.get(slug=source),
        subject_type=subject_type,
        subject_slug=slug,
        subject_name=name or slug,
        is_new=is_new,
        field=field,
        value=value,
        locator=locator,
        sentence="A sentence written for the test.",
        confidence=0.8,
        relation=candidate_relation(subject_type=subject_type, subject_slug=slug, field=field, value=value),
    )
    row.save()
    return row


def test_relation_says_whether_a_value_agrees_adds_or_contradicts():
    assert (
        candidate_relation(subject_type="place", subject_slug="baikonur-cosmodrome", field="country", value="KZ")
        == "agrees"
    )
    assert candidate_relation(
        subject_type="place", subject_slug="baikonur-cosmodrome", field="country", value="RU"
    ) == ("contradicts")
    assert (
        candidate_relation(subject_type="person", subject_slug="anil-menon", field="nationality", value="US") == "adds"
    )
    # Dates agree where they can mean the same day, as disputes count them.
    assert candidate_relation(subject_type="launch", subject_slug="crew-12", field="date", value="2026-02") == "agrees"
    assert candidate_relation(subject_type="launch", subject_slug="crew-12", field="date", value="2026-03") == (
        "contradicts"
    )
    assert candidate_relation(subject_type="person", subject_slug="no-such-person", field="name", value="X") == "adds"


def test_accepting_a_value_the_record_lacks_makes_it_the_records_own(reviewer):
    row = candidate("person", "anil-menon", "nationality", "US", locator="8")
    claim = candidate_accept(candidate=row, user=reviewer)
    assert (claim.source.slug, claim.field, claim.value, claim.locator, claim.rank) == (
        S001,
        "nationality",
        "US",
        "8",
        "preferred",
    )
    assert Person.objects.get(slug="anil-menon").nationality == "US"
    row.refresh_from_db()
    assert (row.status, row.claim, row.reviewed_by) == ("accepted", claim, reviewer)
    assert row.reviewed_at is not None
    assert [h.status for h in row.history.order_by("history_id")] == ["pending", "accepted"]
    assert claim.history.exists()


def test_a_contradicting_value_is_kept_as_a_normal_claim_and_the_record_keeps_its_own(reviewer):
    row = candidate("place", "baikonur-cosmodrome", "country", "RU")
    assert row.relation == "contradicts"
    claim = candidate_accept(candidate=row, user=reviewer)
    claim.refresh_from_db()
    assert claim.rank == "normal"
    assert claim.in_dispute
    assert Place.objects.get(slug="baikonur-cosmodrome").country == "KZ"


def test_a_curator_can_rank_it_preferred_and_the_record_follows(reviewer):
    row = candidate("place", "baikonur-cosmodrome", "country", "RU")
    candidate_accept(candidate=row, user=reviewer, rank="preferred")
    assert Place.objects.get(slug="baikonur-cosmodrome").country == "RU"


def test_an_edited_value_is_the_one_accepted_and_the_edit_is_noted(reviewer):
    row = candidate("person", "anil-menon", "nationality", "U.S.")
    claim = candidate_accept(candidate=row, user=reviewer, value="US")
    assert claim.value == "US"
    row.refresh_from_db()
    assert row.value == "US"
    assert "U.S." in row.note


def test_an_edit_is_kept_until_the_decision(reviewer):
    row = candidate("person", "anil-menon", "nationality", "U.S.")
    candidate_revise(candidate=row, user=reviewer, value="US", note="The article writes the country out.")
    row.refresh_from_db()
    assert (row.status, row.value) == ("pending", "US")
    with pytest.raises(ValidationError):
        candidate_revise(candidate=row, user=reviewer, value="  ")


def test_a_value_the_record_cannot_hold_is_refused_and_nothing_is_written(reviewer):
    row = candidate("person", "anil-menon", "nationality", "United States")
    claims = Claim.objects.count()
    with pytest.raises(ValidationError, match="nationality"):
        candidate_accept(candidate=row, user=reviewer)
    row.refresh_from_db()
    assert row.status == "pending"
    assert Claim.objects.count() == claims


def test_a_decided_candidate_cannot_be_decided_again(reviewer):
    row = candidate("person", "anil-menon", "nationality", "US")
    candidate_reject(candidate=row, user=reviewer, reason="The article says nothing of his nationality.")
    row.refresh_from_db()
    assert (row.status, row.note, row.claim) == ("rejected", "The article says nothing of his nationality.", None)
    for decide in (candidate_accept, candidate_reject):
        with pytest.raises(ValidationError, match="rejected already"):
            decide(candidate=row, user=reviewer)


def test_accepting_a_proposed_person_creates_them_with_the_name_as_a_claim(reviewer):
    row = candidate("person", "jane-roe", "name", "Jane Roe", name="Jane Roe", is_new=True, locator="5")
    claim = candidate_accept(candidate=row, user=reviewer)
    person = Person.objects.get(slug="jane-roe")
    assert person.name == "Jane Roe"
    assert (claim.subject, claim.field, claim.rank, claim.locator) == (person, "name", "preferred", "5")
    row.refresh_from_db()
    assert row.status == "accepted"
    assert row.claim == claim


def test_a_proposed_tenure_is_made_once_its_person_exists_with_the_values_its_candidates_give(reviewer):
    slug = "jane-roe-esa-director"
    title = candidate("tenure", slug, "title", "Director", name="Jane Roe, Director of ESA", is_new=True, locator="5")
    person = candidate("tenure", slug, "person", "jane-roe", is_new=True, locator="5")
    agency = candidate("tenure", slug, "agency", "esa", is_new=True, locator="6")
    head = candidate("tenure", slug, "is_head", "true", is_new=True, locator="6")
    with pytest.raises(ValidationError, match="jane-roe"):
        candidate_accept(candidate=title, user=reviewer)
    assert not Tenure.objects.filter(slug=slug).exists()
    candidate_accept(
        candidate=candidate("person", "jane-roe", "name", "Jane Roe", is_new=True, locator="5"), user=reviewer
    )
    claim = candidate_accept(candidate=title, user=reviewer)
    tenure = Tenure.objects.get(slug=slug)
    assert (tenure.title, tenure.person.slug, tenure.agency.slug, tenure.is_head) == (
        "Director",
        "jane-roe",
        "esa",
        True,
    )
    assert claim.subject == tenure
    for row, locator in ((title, "5"), (person, "5"), (agency, "6"), (head, "6")):
        row.refresh_from_db()
        assert row.status == "accepted", row
        assert (row.claim.locator, row.claim.rank) == (locator, "preferred")


def test_bulk_review_decides_each_candidate_on_its_own(reviewer):
    good = candidate("person", "anil-menon", "nationality", "US")
    bad = candidate("person", "anna-kikina", "nationality", "Russia")
    done, refused = candidates_review(candidates=[good, bad], user=reviewer, accept=True)
    assert done == [good]
    assert list(refused) == [bad]
    assert Person.objects.get(slug="anil-menon").nationality == "US"
    bad.refresh_from_db()
    assert bad.status == "pending"
    done, refused = candidates_review(candidates=[bad], user=reviewer, accept=False)
    assert done == [bad]
    assert not refused


def test_a_candidate_cannot_be_unsure_beyond_certainty():
    row = candidate("person", "anil-menon", "nationality", "US")
    row.confidence = 1.5
    with pytest.raises(Exception, match="candidate_confidence_in_range"):
        row.save()


class TestAliases:
    def alias(self, source, value, rank="normal"):
        roscosmos = Agency.objects.get(slug="roscosmos")
        claims = [
            {"source": Source.objects.get(slug=source), "field": "alias", "value": value, "rank": rank, "locator": "1"}
        ]
        return record_save(instance=roscosmos, claims=claims)

    def test_aliases_of_several_sources_are_never_in_dispute_and_leave_the_record_as_it_is(self):
        self.alias(S003, "Russia's space agency")
        self.alias(S001, "the Russian space agency")
        aliases = Claim.objects.filter(field="alias", agency__slug="roscosmos", source__slug__in=[S001, S003])
        assert sorted(aliases.values_list("value", flat=True)) == ["Russia's space agency", "the Russian space agency"]
        assert not aliases.filter(in_dispute=True).exists()
        assert record_value(Agency.objects.get(slug="roscosmos"), "alias") == ""

    def test_an_alias_cannot_be_preferred(self):
        with pytest.raises(RecordInvalid) as excinfo:
            self.alias(S003, "Russia's space agency", rank="preferred")
        assert "never preferred" in str(excinfo.value.errors)

    def test_the_database_refuses_a_preferred_alias_too(self):
        self.alias(S003, "Russia's space agency")
        with pytest.raises(Exception, match="claim_of_many_values_not_preferred"):
            Claim.objects.filter(field="alias").update(rank="preferred")


def test_accepting_a_proposed_meeting_creates_the_proposed_records_it_links_to(reviewer):
    from events.models import Meeting
    from events.services.ingest import source_ingest

    text = (
        "12 March 2027\n"
        "Two agencies sign a deal\n"
        "VSA President Amara Tolvey met KSRO Chairman R. Danvik in Port Alban on 10 March 2027 to sign an "
        "agreement on lunar exploration.\n"
    )
    source, _ = source_ingest(text=text)
    meeting = "vsa-ksro-talks-in-port-alban"
    participants = Candidate.objects.get(source=source, subject_slug=meeting, field="participants")
    claim = candidate_accept(candidate=participants, user=reviewer)
    made = Meeting.objects.get(slug=meeting)
    assert claim.subject == made
    assert (made.status, made.place.slug, made.place.kind) == ("held", "port-alban", "city")
    assert sorted(p.person.name for p in made.participants.all()) == ["Amara Tolvey", "R. Danvik"]
    decided = Candidate.objects.filter(source=source, status="accepted")
    assert {("person", "amara-tolvey", "name"), ("place", "port-alban", "kind"), ("meeting", meeting, "status")} <= set(
        decided.values_list("subject_type", "subject_slug", "field")
    )
    assert all(c.claim is not None and c.claim.locator == "3" for c in decided)
    assert not Tenure.objects.filter(slug="amara-tolvey-vsa-president").exists()  # nothing links to it
