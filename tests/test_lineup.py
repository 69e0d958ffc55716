"""Meeting lineups: the key itself, the stored lineup following participants and tenures, and previous_meeting."""

import itertools

import pytest
from django.contrib.auth.models import Permission, User
from django.db import transaction
from rest_framework.test import APIClient

from events.models import Agency, Meeting, Participant, Person, Source, Tenure
from events.models.events import lineup_key
from events.services.records import member_remove, member_store, record_delete, record_save
from events.services.support import Support
from tests.factories import MeetingFactory

API = "/api/v1"
ARTICLE = "001_c34876a6c97edda2"
TALKS_2018 = "nasa-roscosmos-2018-10"  # Bridenstine and Rogozin, both as heads
TALKS_2025 = "nasa-roscosmos-2025-07"  # Duffy and Bakanov, both as heads
TALKS_2026 = "nasa-roscosmos-isaacman-bakanov-2026"  # planned; Isaacman and Bakanov, both as heads
HOUSTON_VISIT = "bakanov-houston-visits-2025-07"  # Roscosmos only
ROGOZIN_HEAD = "dmitry-rogozin-roscosmos-head"
BAKANOV_HEAD = "dmitry-bakanov-roscosmos-director-general"


# --- lineup_key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "members",
    [
        [],
        [(1, None)],
        [(1, 1)],
        [(1, 1), (1, None), (1, 1)],
        [(None, None)],
        [(None, None), (1, 1)],
        [(None, 2), (1, 1)],  # a head with no agency on the participant adds no agency
    ],
)
def test_fewer_than_two_agencies_have_no_lineup(members):
    assert lineup_key(members) == ""


@pytest.mark.parametrize(
    ("members", "key"),
    [
        ([(1, 1), (2, 2)], "1.2/heads"),
        ([(1, 1), (1, None), (2, 2), (2, None)], "1.2/heads"),  # staff beside the heads
        ([(3, 3), (1, 1), (2, 2)], "1.2.3/heads"),
        ([(1, 1), (2, None)], "1.2/mixed"),
        ([(1, None), (2, None)], "1.2/mixed"),
        ([(1, 1), (2, None), (3, 3)], "1.2.3/mixed"),
        ([(1, 2), (2, 2)], "1.2/mixed"),  # there as head of another agency: not agency 1's head
    ],
)
def test_all_heads_or_mixed(members, key):
    assert lineup_key(members) == key


def test_none_agencies_are_ignored():
    assert lineup_key([(None, None), (1, 1), (2, 2)]) == "1.2/heads"
    assert lineup_key([(None, 3), (1, 1), (2, 2)]) == "1.2/heads"
    assert lineup_key([(None, None), (1, 1), (2, None)]) == "1.2/mixed"


def test_the_key_does_not_depend_on_the_order():
    members = [(10, 10), (9, None), (2, 2), (9, 9), (None, None)]
    keys = {lineup_key(order) for order in itertools.permutations(members)}
    assert keys == {"2.9.10/heads"}  # agencies in numeric order, not text order
    assert lineup_key(iter(members)) == "2.9.10/heads"  # any iterable, read once
    assert lineup_key([(2, None), (1, 1)]) == lineup_key([(1, 1), (2, None)]) == "1.2/mixed"


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def client():
    return APIClient()


def lineup(slug) -> str:
    return Meeting.objects.values_list("lineup", flat=True).get(slug=slug)


def key(*agencies, level) -> str:
    ids = sorted(Agency.objects.get(slug=slug).pk for slug in agencies)
    return ".".join(map(str, ids)) + f"/{level}"


def previous(client, slug) -> str | None:
    response = client.get(f"{API}/meetings/{slug}/")
    assert response.status_code == 200, response.content
    found = response.json()["previous_meeting"]
    return found and found["slug"]


def participant(meeting, person) -> Participant:
    return Participant.objects.get(meeting__slug=meeting, person__slug=person)


def assert_lineups_current():
    assert all(stored == made for stored, made in Meeting.objects.lineups_due().values())


def save(record):
    """A record written as the API and the admin write it; its new values rest on an article (001, 31 paragraphs)."""
    return record_save(instance=record, support=Support(source=Source.objects.get(slug=ARTICLE), locator="3"))


def join(**member) -> Participant:
    return member_store(member=Participant(**member))


def editor(*codenames) -> APIClient:
    user = User.objects.create_user("lineup-editor")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


# --- the seed dataset -----------------------------------------------------------------------------


def test_seed_lineups(client, seeded):
    assert lineup(TALKS_2018) == lineup(TALKS_2025) == lineup(TALKS_2026) == key("nasa", "roscosmos", level="heads")
    assert lineup("nasa-esa-2026-02-11") == key("esa", "nasa", level="heads")
    assert lineup(HOUSTON_VISIT) == ""  # one agency
    assert lineup("nasa-roscosmos-iss-review-2025-10") == ""  # no participants
    assert_lineups_current()
    assert previous(client, TALKS_2025) == TALKS_2018
    assert previous(client, TALKS_2026) == TALKS_2025


# --- participants ---------------------------------------------------------------------------------


def test_adding_a_third_agency_changes_the_lineup(client, seeded):
    aschbacher = join(
        meeting=Meeting.objects.get(slug=TALKS_2018),
        person=Person.objects.get(slug="josef-aschbacher"),
        agency=Agency.objects.get(slug="esa"),
        tenure=Tenure.objects.get(slug="josef-aschbacher-esa-director-general"),
    )
    assert lineup(TALKS_2018) == key("esa", "nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) is None
    member_remove(member=aschbacher)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == TALKS_2018
    assert_lineups_current()


def test_adding_staff_beside_the_heads_keeps_the_level(client, seeded):
    join(
        meeting=Meeting.objects.get(slug=TALKS_2018),
        person=Person.objects.get(slug="anil-menon"),
        agency=Agency.objects.get(slug="nasa"),
    )
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == TALKS_2018


def test_a_second_agency_joining_gives_a_meeting_its_lineup(client, seeded):
    assert previous(client, HOUSTON_VISIT) is None
    join(
        meeting=Meeting.objects.get(slug=HOUSTON_VISIT),
        person=Person.objects.get(slug="sean-duffy"),
        agency=Agency.objects.get(slug="nasa"),
        tenure=Tenure.objects.get(slug="sean-duffy-nasa-acting-administrator"),
    )
    assert lineup(HOUSTON_VISIT) == key("nasa", "roscosmos", level="heads")
    # Dated 2025-07, it may fall before the talks of 31 July 2025: the earlier held ones are 2018's.
    assert previous(client, HOUSTON_VISIT) == TALKS_2018
    assert_lineups_current()


def test_a_new_meeting_gets_its_lineup_from_its_participants(client, seeded):
    meeting = MeetingFactory(slug="heads-talks-2022", date_edtf="2022-05-10")
    assert meeting.lineup == lineup("heads-talks-2022") == ""
    for person, agency, tenure in (
        ("jim-bridenstine", "nasa", "jim-bridenstine-nasa-administrator"),
        ("yuri-borisov", "roscosmos", "yuri-borisov-roscosmos-director-general"),
    ):
        join(
            meeting=meeting,
            person=Person.objects.get(slug=person),
            agency=Agency.objects.get(slug=agency),
            tenure=Tenure.objects.get(slug=tenure),
        )
    assert lineup("heads-talks-2022") == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == "heads-talks-2022"
    assert previous(client, "heads-talks-2022") == TALKS_2018


def test_removing_a_participant(client, seeded):
    member_remove(member=participant(TALKS_2018, "dmitry-rogozin"))
    assert lineup(TALKS_2018) == ""
    assert previous(client, TALKS_2025) is None
    assert_lineups_current()


def test_removing_a_participant_of_the_latest_meeting_makes_an_older_one_previous(client, seeded):
    member_remove(member=participant(TALKS_2025, "sean-duffy"))
    assert lineup(TALKS_2025) == ""
    assert previous(client, TALKS_2026) == TALKS_2018
    assert previous(client, "roscosmos-nasa-moscow-invitation-2025") == TALKS_2018


def test_changing_a_participants_agency(client, seeded):
    rogozin = participant(TALKS_2018, "dmitry-rogozin")
    rogozin.agency = Agency.objects.get(slug="esa")  # his tenure stays at Roscosmos: not ESA's head
    member_store(member=rogozin)
    assert lineup(TALKS_2018) == key("esa", "nasa", level="mixed")
    assert previous(client, TALKS_2025) is None
    rogozin.agency = Agency.objects.get(slug="roscosmos")
    member_store(member=rogozin)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == TALKS_2018
    assert_lineups_current()


def test_a_participant_without_the_tenure_is_not_there_as_head(client, seeded):
    rogozin = participant(TALKS_2018, "dmitry-rogozin")
    rogozin.tenure = None
    member_store(member=rogozin)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert previous(client, TALKS_2025) is None


def test_moving_a_participant_to_another_meeting(client, seeded):
    rogozin = participant(TALKS_2018, "dmitry-rogozin")
    rogozin.meeting = Meeting.objects.get(slug=HOUSTON_VISIT)
    member_store(member=rogozin)
    assert lineup(HOUSTON_VISIT) == ""  # still Roscosmos alone
    assert lineup(TALKS_2018) == ""  # Bridenstine alone
    assert previous(client, TALKS_2025) is None


# --- tenures --------------------------------------------------------------------------------------


def test_a_tenure_that_stops_being_head(client, seeded):
    tenure = Tenure.objects.get(slug=ROGOZIN_HEAD)
    tenure.is_head = False
    save(tenure)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert previous(client, TALKS_2025) is None
    tenure.is_head = True
    save(tenure)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == TALKS_2018
    assert_lineups_current()


def test_a_tenure_held_at_several_meetings_changes_each_of_them(client, seeded):
    tenure = Tenure.objects.get(slug=BAKANOV_HEAD)
    assert tenure.participations.count() == 6
    tenure.is_head = False
    save(tenure)
    mixed = key("nasa", "roscosmos", level="mixed")
    assert lineup(TALKS_2025) == lineup(TALKS_2026) == lineup("roscosmos-nasa-moscow-invitation-2025") == mixed
    assert lineup(HOUSTON_VISIT) == ""
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    # The previous meeting is one of the same level: 2018's heads no longer count for 2025's mixed talks.
    assert previous(client, TALKS_2025) is None
    assert previous(client, TALKS_2026) == TALKS_2025
    assert_lineups_current()


def test_a_tenure_moved_to_another_agency(client, seeded):
    tenure = Tenure.objects.get(slug="jim-bridenstine-nasa-administrator")
    tenure.agency = Agency.objects.get(slug="esa")  # Bridenstine still came for NASA
    save(tenure)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert previous(client, TALKS_2025) is None
    tenure.agency = Agency.objects.get(slug="nasa")
    save(tenure)
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) == TALKS_2018


def test_deleting_a_tenure(client, seeded):
    record_delete(instance=Tenure.objects.get(slug=ROGOZIN_HEAD))
    rogozin = participant(TALKS_2018, "dmitry-rogozin")
    assert rogozin.tenure is None  # SET_NULL: still there, no longer as head
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert lineup(TALKS_2025) == key("nasa", "roscosmos", level="heads")
    assert previous(client, TALKS_2025) is None
    assert_lineups_current()


def test_deleting_two_tenures_in_one_transaction(client, seeded):
    with transaction.atomic():
        for tenure in Tenure.objects.filter(slug__in=[ROGOZIN_HEAD, BAKANOV_HEAD]):
            record_delete(instance=tenure)
    mixed = key("nasa", "roscosmos", level="mixed")
    assert lineup(TALKS_2018) == lineup(TALKS_2025) == lineup(TALKS_2026) == mixed
    assert previous(client, TALKS_2025) == TALKS_2018
    assert_lineups_current()


# --- saving a meeting -------------------------------------------------------------------------------


def test_saving_a_stale_meeting_keeps_the_current_lineup(client, seeded):
    meeting = Meeting.objects.get(slug=TALKS_2018)
    assert meeting.lineup == key("nasa", "roscosmos", level="heads")
    member_remove(member=participant(TALKS_2018, "dmitry-rogozin"))  # behind the loaded instance's back
    meeting.title = "Bridenstine at Baikonur"
    save(meeting)
    assert meeting.lineup == lineup(TALKS_2018) == ""
    assert previous(client, TALKS_2025) is None


def test_saving_a_stale_meeting_keeps_a_lineup_gained_meanwhile(client, seeded):
    meeting = Meeting.objects.get(slug=HOUSTON_VISIT)
    assert meeting.lineup == ""
    join(
        meeting=Meeting.objects.get(slug=HOUSTON_VISIT),
        person=Person.objects.get(slug="sean-duffy"),
        agency=Agency.objects.get(slug="nasa"),
        tenure=Tenure.objects.get(slug="sean-duffy-nasa-acting-administrator"),
    )
    meeting.summary = "Changed."
    save(meeting)
    assert meeting.lineup == lineup(HOUSTON_VISIT) == key("nasa", "roscosmos", level="heads")


def test_a_lineup_cannot_be_set_by_hand(client, seeded):
    meeting = Meeting.objects.get(slug=TALKS_2018)
    meeting.lineup = "1.2/heads"
    save(meeting)
    assert meeting.lineup == lineup(TALKS_2018) == key("nasa", "roscosmos", level="heads")


# --- writes through the API -------------------------------------------------------------------------


def test_patching_participants_through_the_api(client, seeded):
    url = f"{API}/meetings/{TALKS_2018}/"
    alone = [{"person": "jim-bridenstine", "agency": "nasa", "role": "NASA Administrator"}]
    # Bridenstine alone is a value no source gives: the write rests on 001 (which has 31 paragraphs).
    body = {"participants": alone, "support": {"source": "001_c34876a6c97edda2", "locator": "3"}}
    response = editor("change_meeting", "add_claim").patch(url, body, format="json")
    assert response.status_code == 200, response.content
    assert lineup(TALKS_2018) == ""
    assert previous(client, TALKS_2025) is None
    assert_lineups_current()


def test_patching_a_tenure_through_the_api(client, seeded):
    tenure = Tenure.objects.get(slug=ROGOZIN_HEAD)
    response = editor("change_tenure").patch(f"{API}/tenures/{tenure.pk}/", {"is_head": False}, format="json")
    assert response.status_code == 200, response.content
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert previous(client, TALKS_2025) is None
    assert_lineups_current()


def test_deleting_a_tenure_through_the_api(client, seeded):
    tenure = Tenure.objects.get(slug=ROGOZIN_HEAD)
    response = editor("delete_tenure").delete(f"{API}/tenures/{tenure.pk}/")
    assert response.status_code == 204, response.content
    assert lineup(TALKS_2018) == key("nasa", "roscosmos", level="mixed")
    assert previous(client, TALKS_2025) is None
    assert_lineups_current()
