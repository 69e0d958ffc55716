"""Extraction proposes new records where an article names people, agencies, places, meetings and launches the
database does not hold. Every article here is written for these tests, about invented bodies, people and places."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from events.extraction import Gazetteer, article_read, extract, proposed_slug
from events.extraction.gazetteer import Post, Record

PUB = dt.date(2027, 3, 12)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(
        records=[
            Record("agency", "orbita", "Orbita State Space Corporation", "Orbita", kind="space_agency", country="RU"),
            Record("person", "maria-kovacs", "Maria Kovacs"),
            Record("place", "oslo", "Oslo", kind="city", country="NO"),
            Record("place", "springhaven-dc", "Springhaven, D.C.", kind="city", country="US"),
            Record("topic", "lunar-exploration", "Lunar exploration"),
            Record("launch", "arrow-7", "Arrow 7", vehicle="Arrow", spacecraft="Arrow 7"),
            Record(
                "meeting",
                "kovacs-orbita-2026",
                "Kovacs visits Orbita",
                status="held",
                earliest=dt.date(2026, 5, 1),
                latest=dt.date(2026, 5, 31),
                participants=("maria-kovacs",),
                place="oslo",
            ),
        ],
        posts=[Post("maria-kovacs-orbita-director-general", "maria-kovacs", "orbita", "Director General", True, False)],
    )


def proposals(gazetteer, text, published=PUB):
    """{(type, slug, field): value} of the proposed records' candidates, and the candidates themselves."""
    found = extract(article_read(text), published=published, gazetteer=gazetteer)
    new = [f for f in found if not f.subject.slug]
    return {(f.subject.type, proposed_slug(f.subject), f.field): f.value for f in new}, found


def test_a_person_after_a_post_title_and_an_unknown_acronym_before_it(gazetteer):
    got, found = proposals(gazetteer, "VSA President Amara Tolvey opened the hall.")
    assert got[("person", "amara-tolvey", "name")] == "Amara Tolvey"
    assert got[("agency", "vsa", "short_name")] == "VSA"
    assert got[("agency", "vsa", "kind")] in ("space_agency", "government", "company")
    tenure = "amara-tolvey-vsa-president"
    assert got[("tenure", tenure, "person")] == "amara-tolvey"
    assert got[("tenure", tenure, "agency")] == "vsa"
    assert got[("tenure", tenure, "title")] == "President"
    assert got[("tenure", tenure, "is_head")] == "true"
    # Proposals are less sure than what is said of known records.
    assert max(f.confidence for f in found if not f.subject.slug) < 0.6


def test_a_person_after_an_occupation_or_before_a_title_with_nationality(gazetteer):
    got, _ = proposals(
        gazetteer,
        "Japanese astronaut Lio Marrow trained for weeks.\n"
        "Pell Anders, a Canadian engineer, joined him.\n"
        "Rena Solberg, the agency's director, watched.",
    )
    assert got[("person", "lio-marrow", "nationality")] == "JP"
    assert got[("person", "pell-anders", "nationality")] == "CA"
    assert got[("person", "rena-solberg", "name")] == "Rena Solberg"


def test_the_subject_of_a_meeting_verb_is_a_person(gazetteer):
    got, _ = proposals(gazetteer, "Yesterday Tomas Varga met Maria Kovacs in Oslo on 3 March 2027.")
    assert got[("person", "tomas-varga", "name")] == "Tomas Varga"


def test_a_long_agency_name_with_its_acronym_in_brackets_kind_and_country(gazetteer):
    got, _ = proposals(
        gazetteer,
        "The Brazilian Aerospace Exploration Agency (BAEA) and the Kestran Space Research Organisation (KSRO) "
        "signed an agreement in Port Alban on 10 March 2027.\n"
        "The Ministry of Orbital Affairs welcomed it, and BAEA's chief said so too.",
    )
    baea = "brazilian-aerospace-exploration-agency"
    assert got[("agency", baea, "name")] == "Brazilian Aerospace Exploration Agency"
    assert got[("agency", baea, "short_name")] == "BAEA"
    assert got[("agency", baea, "kind")] == "space_agency"
    assert got[("agency", baea, "country")] == "BR"
    ksro = "kestran-space-research-organisation"
    assert got[("agency", ksro, "short_name")] == "KSRO"
    assert got[("agency", "ministry-of-orbital-affairs", "kind")] == "government"
    # The acronym used alone later is the same agency, not another one.
    assert not any(key[:2] == ("agency", "baea") for key in got)


def test_places_after_meeting_and_launch_verbs_with_their_kind_and_country(gazetteer):
    got, _ = proposals(
        gazetteer,
        "Maria Kovacs met officials in Port Alban, Brazil, on 3 March 2027.\n"
        "The crew will launch from the Zarin Cosmodrome and later visit the Halden Space Center.\n"
        "They also met in March and in Japan.",
    )
    assert got[("place", "port-alban", "kind")] == "city"
    assert got[("place", "port-alban", "country")] == "BR"
    assert got[("place", "zarin-cosmodrome", "kind")] == "spaceport"
    assert got[("place", "halden-space-center", "kind")] == "facility"
    assert not any(key[0] == "place" and key[1] in ("march", "japan") for key in got)


def test_a_proposed_meeting_of_new_people_with_title_status_date_place_and_topics(gazetteer):
    text = (
        "12 March 2027\n"
        "VSA President Amara Tolvey met KSRO Chairman R. Danvik in Port Alban on 10 March 2027 to sign an "
        "agreement on lunar exploration.\n"
        "The two agencies will meet again in Norrhavn later in the year."
    )
    got, _ = proposals(gazetteer, text)
    first = "vsa-ksro-talks-in-port-alban"
    assert got[("meeting", first, "title")] == "VSA–KSRO talks in Port Alban"
    assert got[("meeting", first, "status")] == "held"
    assert got[("meeting", first, "kind")] == "bilateral"
    assert got[("meeting", first, "date")] == "2027-03-10"
    assert got[("meeting", first, "place")] == "port-alban"
    assert got[("meeting", first, "participants")] == "amara-tolvey,r-danvik"
    assert got[("meeting", first, "format")] == "in_person"
    assert got[("meeting", first, "topics")] == "lunar-exploration"
    again = "vsa-ksro-talks-in-norrhavn"
    assert got[("meeting", again, "status")] == "planned"
    assert got[("meeting", again, "place")] == "norrhavn"
    # Nothing was said of the known meeting.
    assert not any(key[1] == "kovacs-orbita-2026" for key in got)


def test_a_known_person_meeting_a_new_one_is_a_new_meeting_not_a_known_one(gazetteer):
    got, found = proposals(gazetteer, "Maria Kovacs met Tomas Varga in Oslo on 2 March 2027.")
    assert not any(f.subject.slug == "kovacs-orbita-2026" for f in found)
    meeting = next(key[1] for key in got if key[0] == "meeting")
    assert got[("meeting", meeting, "participants")] == "maria-kovacs,tomas-varga"
    assert got[("meeting", meeting, "place")] == "oslo"  # a known place, by its slug


def test_an_invitation_is_a_proposed_meeting(gazetteer):
    got, _ = proposals(gazetteer, "VSA President Amara Tolvey invited Maria Kovacs to Norrhavn in June 2027.")
    meeting = next(key[1] for key in got if key[0] == "meeting")
    assert got[("meeting", meeting, "status")] == "proposed"
    assert got[("meeting", meeting, "place")] == "norrhavn"


def test_a_named_mission_not_known_is_a_proposed_launch(gazetteer):
    got, _ = proposals(
        gazetteer,
        "The Sky-4 mission will carry Lio Marrow and Pell Anders from the Zarin Cosmodrome in June 2027.\n"
        "The Kestrel Nine flight lifted off in 2026.",
    )
    assert got[("launch", "sky-4", "name")] == "Sky-4"
    assert got[("launch", "sky-4", "status")] == "planned"
    assert got[("launch", "sky-4", "crew")] == "lio-marrow,pell-anders"
    assert got[("launch", "sky-4", "site")] == "zarin-cosmodrome"
    assert got[("launch", "sky-4", "date")] == "2027-06"
    assert got[("launch", "kestrel-nine", "status")] == "launched"


def test_a_name_is_proposed_once_whatever_the_variant(gazetteer):
    got, _ = proposals(
        gazetteer,
        "VSA President Amara Tolvey spoke.\nLater, Chairman A. Tolvey met Maria Kovacs in Oslo.\nTolvey said so.",
    )
    assert {key[1] for key in got if key[0] == "person"} == {"amara-tolvey"}


def test_variants_of_known_records_and_generic_phrases_are_not_proposed(gazetteer):
    got, _ = proposals(
        gazetteer,
        "The Agency met the Space Station crew in Springhaven on Monday.\n"
        "Officials met in May. Japan met India in Geneva Tuesday.\n"
        "Orbita Director General M. Kovacs visited the station.\n"
        "The next Arrow launch and the Moon mission will fly.",
        dt.date(2026, 6, 1),
    )
    people = {key[1] for key in got if key[0] == "person"}
    assert not people & {"the-agency", "space-station", "officials", "japan", "india", "m-kovacs"}
    assert not any(key[0] == "agency" for key in got)
    assert not any(key[0] == "launch" for key in got)
    assert not any(key[0] == "place" and key[1].startswith("springhaven") for key in got)


@pytest.mark.django_db
def test_an_ingested_article_s_proposed_meeting_is_created_once_what_it_links_to_is(seeded):
    from events.models import Agency, Candidate, Meeting, Person, Place, Tenure
    from events.services.ingest import candidate_accept, source_ingest

    text = (
        "12 March 2027\n"
        "Two agencies sign a deal\n"
        "VSA President Amara Tolvey met KSRO Chairman R. Danvik in Port Alban on 10 March 2027 to sign an "
        "agreement on lunar exploration.\n"
    )
    user = get_user_model().objects.create_user("curator-new-records")
    source, candidates = source_ingest(text=text)
    assert all(c.is_new for c in candidates if c.subject_slug in ("amara-tolvey", "vsa", "port-alban"))

    def accept(subject_type, slug, field):
        row = Candidate.objects.get(source=source, subject_type=subject_type, subject_slug=slug, field=field)
        return candidate_accept(candidate=row, user=user)

    accept("person", "amara-tolvey", "name")
    accept("person", "r-danvik", "name")
    accept("agency", "vsa", "kind")
    accept("agency", "ksro", "kind")
    accept("tenure", "amara-tolvey-vsa-president", "title")
    accept("place", "port-alban", "kind")
    meeting_slug = "vsa-ksro-talks-in-port-alban"
    accept("meeting", meeting_slug, "status")
    accept("meeting", meeting_slug, "participants")

    assert Person.objects.get(slug="r-danvik").name == "R. Danvik"
    assert Agency.objects.get(slug="vsa").short_name == "VSA"
    tenure = Tenure.objects.get(slug="amara-tolvey-vsa-president")
    assert (tenure.person.slug, tenure.agency.slug, tenure.title, tenure.is_head) == (
        "amara-tolvey",
        "vsa",
        "President",
        True,
    )
    assert Place.objects.get(slug="port-alban").kind == "city"
    meeting = Meeting.objects.get(slug=meeting_slug)
    assert (meeting.title, meeting.status, meeting.date_edtf, meeting.place.slug, meeting.format) == (
        "VSA–KSRO talks in Port Alban",
        "held",
        "2027-03-10",
        "port-alban",
        "in_person",
    )
    assert sorted(p.person.slug for p in meeting.participants.all()) == ["amara-tolvey", "r-danvik"]


def test_honorifics_and_sentence_opening_adverbs_are_not_part_of_names(gazetteer):
    got, _ = proposals(
        gazetteer, "Meanwhile Kenta Oda, the company's chief executive, met Dr. Sara Lind in New Harbor."
    )
    assert {key[1] for key in got if key[0] == "person"} == {"kenta-oda", "sara-lind"}
    assert got[("place", "new-harbor", "kind")] == "city"
