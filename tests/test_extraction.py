"""Extraction: date phrases, article reading, name matching and each rule, on sentences written for these tests."""

import datetime as dt
import hashlib
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from events.extraction import Gazetteer, Subject, article_read, extract, proposed_slug
from events.extraction.dates import dates_in
from events.extraction.gazetteer import Post, Record

PUB = dt.date(2026, 2, 16)
ARTICLES = settings.BASE_DIR.parent / "shared" / "seeds"
needs_articles = pytest.mark.skipif(not ARTICLES.is_dir(), reason=f"the article texts are absent ({ARTICLES})")


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("They talked last July.", PUB, "2025-07"),
        ("It flies this summer.", PUB, "2026-22"),
        ("The review is due in Q1 2027.", PUB, "2027-33"),
        ("A group may form in mid-2026.", PUB, "2026-05/2026-08"),
        ("Talks are set for late August 2025.", PUB, "2025-08-21/2025-08-31"),
        ("The crew flew on Feb. 3.", PUB, "2026-02-03"),
        ("The summit will be on March 3.", dt.date(2026, 5, 1), "2027-03-03"),
        ("He took office in February.", dt.date(2025, 7, 30), "2025-02"),
        ("It began on 4 October 2018.", PUB, "2018-10-04"),
        ("Flights ran from 2011 to 2020.", PUB, "2011/2020"),
        ("The launch was in October 2018.", PUB, "2018-10"),
        ("It happened last Monday.", PUB, "2026-02-09"),
    ],
)
def test_date_phrases_become_edtf(text, published, edtf):
    assert dates_in(text, published=published)[0].edtf == edtf


def test_relative_phrases_count_from_the_date_before_them():
    found = dates_in("After the March talks he said he had asked for a visit later in the year.", published=PUB)
    assert [d.edtf for d in found] == ["2025-03", "2025-04/2025-12"]
    found = dates_in("The call came two days after the crew landed on Jan. 5.", published=PUB)
    assert [d.edtf for d in found] == ["2026-01-07", "2026-01-05"]


def test_article_read_numbers_paragraphs_hashes_the_text_as_given_and_reads_its_date():
    text = "3 March 2026\r\n\r\n  First line of the story.  \r\nSecond one.\r\n"
    article = article_read(text)
    assert article.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert article.paragraphs == ("3 March 2026", "First line of the story.", "Second one.")
    assert article.published == dt.date(2026, 3, 3)
    assert article_read("date 2025-01-09 Some headline").published == dt.date(2025, 1, 9)
    assert article_read("No date here.\nNone at all.").published is None


def test_proposed_slug_is_the_slugified_name():
    assert proposed_slug(Subject("person", name="Ana María Ruiz")) == "ana-maria-ruiz"
    assert proposed_slug(Subject("person", slug="known")) == "known"


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(
        records=[
            Record("agency", "orbita", "Orbita State Space Corporation", "Orbita", kind="space_agency", country="RU"),
            Record("agency", "usaa", "United States Aerospace Authority", "USAA", kind="space_agency", country="US"),
            Record("agency", "rocketco", "RocketCo", "RocketCo", kind="company", country="US"),
            Record("person", "maria-kovacs", "Maria Kovacs"),
            Record("person", "ivan-petrenko", "Ivan Petrenko"),
            Record("person", "lee-park", "Lee Park"),
            Record("place", "port-zeta", "Port Zeta Cosmodrome", kind="spaceport", country="KZ"),
            Record("place", "oslo", "Oslo", kind="city", country="NO"),
            Record("place", "orbital-lab", "Orbital Research Laboratory", kind="station"),
            Record("place", "polaris-lab", "Polaris orbital station", kind="station", country="CN"),
            Record("place", "bergen", "Bergen", kind="city", country="NO"),
            Record("place", "north-works", "North Works", kind="facility", country="NO"),
            Record("place", "rocketco-oslo-plants", "RocketCo plants in Oslo", kind="facility", country="NO"),
            Record("topic", "station-deorbit", "Station deorbit"),
            Record("topic", "mars-exploration", "Mars exploration"),
            Record(
                "launch",
                "arrow-7",
                "Arrow 7",
                vehicle="Arrow",
                spacecraft="Arrow 7",
                earliest=dt.date(2026, 6, 1),
                latest=dt.date(2026, 8, 31),
            ),
            Record(
                "launch",
                "arrow-5",
                "Arrow 5",
                vehicle="Arrow",
                earliest=dt.date(2025, 3, 3),
                latest=dt.date(2025, 3, 3),
            ),
            Record(
                "meeting",
                "usaa-orbita-2025",
                "Kovacs and Petrenko meet",
                status="held",
                earliest=dt.date(2025, 5, 1),
                latest=dt.date(2025, 5, 31),
                participants=("ivan-petrenko", "maria-kovacs"),
                place="oslo",
            ),
        ],
        posts=[
            Post(
                "maria-kovacs-usaa-administrator",
                "maria-kovacs",
                "usaa",
                "Administrator",
                True,
                False,
                dt.date(2024, 1, 1),
                dt.date(2024, 1, 31),
            ),
            Post(
                "ivan-petrenko-orbita-director-general",
                "ivan-petrenko",
                "orbita",
                "Director General",
                True,
                False,
                dt.date(2023, 1, 1),
                dt.date(2023, 3, 31),
            ),
        ],
    )


def found_in(gazetteer, text, published=PUB):
    return {
        (f.subject.slug or proposed_slug(f.subject), f.field, f.value)
        for f in extract(article_read(text), published=published, gazetteer=gazetteer)
    }


def test_names_short_names_and_variants_are_found(gazetteer):
    found = found_in(
        gazetteer, "Orbita and USAA signed a note.\nMaria Kovacs welcomed it; Dimitri-free Ivan Petrenkov did too."
    )
    assert ("orbita", "short_name", "Orbita") in found
    assert ("usaa", "short_name", "USAA") in found
    assert ("maria-kovacs", "name", "Maria Kovacs") in found
    # A misspelt name is still the known person, but not a claim about how the name is spelt.
    assert ("ivan-petrenko", "name", "Ivan Petrenko") not in found


def test_a_post_becomes_tenure_claims_on_the_known_tenure(gazetteer):
    found = found_in(gazetteer, "USAA Administrator Maria Kovacs spoke to reporters.")
    tenure = "maria-kovacs-usaa-administrator"
    assert {(tenure, "person", "maria-kovacs"), (tenure, "agency", "usaa"), (tenure, "is_head", "true")} <= found
    assert (tenure, "title", "Administrator") in found


def test_an_unknown_post_is_a_proposed_tenure(gazetteer):
    found = found_in(gazetteer, "Lee Park, Director General of Orbita, opened the session.")
    assert ("lee-park-orbita-director-general", "person", "lee-park") in found
    assert ("lee-park-orbita-director-general", "agency", "orbita") in found


def test_a_descriptive_reference_is_the_agency_s_space_agency(gazetteer):
    found = found_in(gazetteer, "Officials at Russia's space agency, Orbita, agreed.")
    assert {("orbita", "kind", "space_agency"), ("orbita", "country", "RU")} <= found


def test_a_meeting_is_matched_by_its_people_date_and_place(gazetteer):
    text = "Last May, Maria Kovacs met Ivan Petrenko in Oslo, face to face."
    found = found_in(gazetteer, text, published=dt.date(2025, 9, 1))
    meeting = "usaa-orbita-2025"
    assert (meeting, "participants", "ivan-petrenko,maria-kovacs") in found
    assert (meeting, "status", "held") in found
    assert (meeting, "place", "oslo") in found
    assert (meeting, "date", "2025-05") in found
    assert (meeting, "format", "in_person") in found


def test_the_people_a_list_names_after_a_meeting_take_part(gazetteer):
    text = (
        "Maria Kovacs will meet Ivan Petrenko in Oslo in May 2025.\n"
        "The talks will include the heads of both agencies:\n"
        "- Ivan Petrenko, Director General of Orbita\n"
        "- Lee Park, Administrator of USAA"
    )
    found = found_in(gazetteer, text, published=dt.date(2025, 4, 1))
    assert ("usaa-orbita-2025", "participants", "ivan-petrenko,lee-park") in found


def test_a_table_row_is_the_meeting_its_title_resembles_on_its_date(gazetteer):
    text = "Events ahead\nDate | Event |\n---|---|\nMay 2025 | Kovacs and Petrenko will meet |\nMay 2025 | A fair |"
    found = found_in(gazetteer, text, published=dt.date(2025, 6, 1))
    assert {("usaa-orbita-2025", "date", "2025-05"), ("usaa-orbita-2025", "status", "planned")} <= found
    assert len([f for f in found if f[1] == "date"]) == 1


def test_a_dateline_and_a_year_qualifying_a_noun_date_no_event(gazetteer):
    found = found_in(
        gazetteer, "date 2025-09-01 Maria Kovacs met Ivan Petrenko in Oslo.", published=dt.date(2025, 9, 1)
    )
    assert not any(f == ("usaa-orbita-2025", "date", "2025-09-01") for f in found)
    text = "Maria Kovacs met Ivan Petrenko in Oslo despite Orbita's 2022 reorganisation."
    found = found_in(gazetteer, text, published=dt.date(2025, 9, 1))
    assert ("usaa-orbita-2025", "date", "2022") not in found
    assert ("usaa-orbita-2025", "format", "in_person") in found


def test_a_launch_s_crew_site_and_destination(gazetteer):
    text = (
        "Arrow 7 will carry Lee Park and Maria Kovacs to the Orbital Research Laboratory from the Port Zeta Cosmodrome."
    )
    found = found_in(gazetteer, text)
    assert ("arrow-7", "crew", "lee-park,maria-kovacs") in found
    assert ("arrow-7", "destination", "orbital-lab") in found
    assert ("arrow-7", "site", "port-zeta") in found
    assert ("arrow-7", "vehicle", "Arrow") in found


def test_a_place_s_kind_country_and_parent(gazetteer):
    found = found_in(
        gazetteer,
        "The crew lifted off from the Port Zeta Cosmodrome in Kazakhstan.\n"
        "They may meet in a northern city (reportedly Oslo or Bergen).\n"
        "As China grows its program, including the Polaris orbital station, others watch.\n"
        "During her stay in Oslo, Kovacs will tour North Works and RocketCo's plants.",
    )
    assert ("port-zeta", "country", "KZ") in found
    assert {("oslo", "kind", "city"), ("bergen", "kind", "city")} <= found
    assert {("polaris-lab", "kind", "station"), ("polaris-lab", "country", "CN")} <= found
    # "RocketCo's plants" in a sentence naming Oslo: the place known as "RocketCo plants in Oslo".
    assert ("rocketco-oslo-plants", "name", "RocketCo plants in Oslo") in found
    assert ("rocketco-oslo-plants", "kind", "facility") in found
    assert {("north-works", "parent", "oslo"), ("rocketco-oslo-plants", "parent", "oslo")} <= found
    # A capitalised name is a name, not a statement of kind.
    assert ("port-zeta", "kind", "spaceport") not in found


def test_a_launch_meant_without_its_name_and_what_is_said_in_passing(gazetteer):
    found = found_in(
        gazetteer,
        "Kovacs hopes to see the next crewed Arrow launch, scheduled for this summer from the Port Zeta Cosmodrome.",
    )
    assert {("arrow-7", "status", "planned"), ("arrow-7", "date", "2026-22"), ("arrow-7", "site", "port-zeta")} <= found
    assert ("port-zeta", "kind", "spaceport") in found
    assert ("arrow-7", "operator", "orbita") in found_in(gazetteer, "Orbita continues to operate Arrow launches.")
    found = found_in(gazetteer, "Reporters gathered after the Arrow 5 launch on March 3, 2025.")
    assert {("arrow-5", "status", "launched"), ("arrow-5", "date", "2025-03-03")} <= found


def test_a_launch_told_as_done_or_to_come_is_bounded_by_the_article_s_date(gazetteer):
    found = found_in(gazetteer, "Lee Park, known for leading RocketCo's Arrow 5 mission, spoke.")
    assert {("arrow-5", "crew", "lee-park"), ("arrow-5", "operator", "rocketco")} <= found
    assert {("arrow-5", "status", "launched"), ("arrow-5", "date", "../2026-02-16")} <= found
    found = found_in(gazetteer, "Maria Kovacs will command the upcoming Arrow 7 mission.")
    assert {("arrow-7", "status", "planned"), ("arrow-7", "date", "2026-02-16/..")} <= found


def test_a_nationality_before_an_occupation(gazetteer):
    found = found_in(gazetteer, "Aboard is Norwegian engineer Lee Park and Swiss astronaut Ivan Petrenko.")
    assert ("ivan-petrenko", "nationality", "CH") in found
    assert not any(f[0] == "lee-park" and f[1] == "nationality" for f in found)  # not a country we know


def test_a_post_in_a_list_item_has_the_date_of_the_list_s_event(gazetteer):
    text = (
        "The talks, set for late August 2026, will include:\n"
        "- Lee Park, Administrator of USAA\n"
        "- Ivan Petrenko, Director General of Orbita"
    )
    found = found_in(gazetteer, text)
    assert ("ivan-petrenko-orbita-director-general", "end", "2026-08-21/..") in found


def test_topics_are_found_by_the_stems_of_their_names(gazetteer):
    assert ("station-deorbit", "name", "Station deorbit") in found_in(
        gazetteer, "They discussed deorbiting the station."
    )
    # A body alone names the topic of its exploration.
    assert ("mars-exploration", "name", "Mars exploration") in found_in(gazetteer, "Our goals: the Moon and Mars.")


def test_each_claim_is_returned_once_with_its_paragraphs_merged(gazetteer):
    results = extract(
        article_read("Orbita spoke.\nNothing here.\nOrbita spoke again."), published=PUB, gazetteer=gazetteer
    )
    short = [f for f in results if f.field == "short_name"]
    assert len(short) == 1
    assert short[0].locator == "1,3"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "x" * 300_000,
        "Ж" * 50_000 + "\n" + "🚀 " * 10_000,
        "\x00\ud800 odd",
        "May May May 2025 " * 2000,
        "(((( [[[ «P1» «A0» ))))",
        "\n".join(["Orbita met USAA on May 3."] * 3000),
    ],
)
def test_odd_input_never_raises(gazetteer, text):
    # What it costs is measured by bench/ingest.py (its largest text), not timed here.
    found = extract(article_read(text), published=PUB, gazetteer=gazetteer)
    assert all(f.locator and f.sentence for f in found)


@needs_articles
class TestOnTheSeed:
    pytestmark = pytest.mark.usefixtures("seeded")

    def test_evaluation_reaches_its_floor(self):
        out = []
        call_command("evaluate_extraction", "--format", "json", "--no-docs", stdout=_Collect(out))
        report = json.loads("".join(out))
        assert set(report) == {"total", "by_field", "by_article"}
        assert set(report["total"]) == {"precision", "recall", "found", "curated", "matched"}
        assert len(report["by_article"]) == 5
        assert report["total"]["curated"] == 330
        assert report["total"]["precision"] >= 0.87
        assert report["total"]["recall"] >= 0.9

    def test_the_database_is_left_as_it_was(self):
        from events.models import Claim

        before = Claim.objects.count()
        call_command("evaluate_extraction", "--no-docs", stdout=_Collect([]))
        assert Claim.objects.count() == before


@pytest.mark.django_db
def test_a_missing_article_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="--articles"):
        call_command("evaluate_extraction", "--articles", str(tmp_path / "absent"), "--no-docs")


class _Collect:
    def __init__(self, into):
        self.into = into

    def write(self, text):
        self.into.append(text)

    def flush(self):
        pass
