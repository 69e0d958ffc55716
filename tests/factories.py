"""factory-boy factories for the events models.

Factories create rows through the model's save(), so fuzzy-date bounds are
derived from the EDTF text as in real use. They do not call full_clean(), so a
test can still build rows that Python validation would reject.
"""

import hashlib

import factory
from django.core.exceptions import ValidationError

from events.claimfields import DATE_FIELDS
from events.fuzzydates import edtf_bounds
from events.models import (
    Agency,
    Claim,
    CrewMember,
    Launch,
    Meeting,
    Participant,
    Person,
    Place,
    Source,
    Tenure,
    Topic,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "Example Wire"
    kind = Source.Kind.NEWS
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"source-{n}".encode()).hexdigest())
    paragraphs = 20
    published_edtf = "2025-07-31"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.SPACE_AGENCY
    country = "US"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    nationality = "US"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.CITY
    country = "US"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    slug = factory.Sequence(lambda n: f"tenure-{n}")
    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    title = "Administrator"
    is_head = False
    is_acting = False
    start_edtf = "2025-01"
    end_edtf = ""


class LaunchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Launch

    slug = factory.Sequence(lambda n: f"launch-{n}")
    name = factory.Sequence(lambda n: f"Launch {n}")
    vehicle = "Falcon 9"
    status = Launch.Status.SUCCESS
    date_edtf = "2025-08-01"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    kind = Meeting.Kind.BILATERAL
    status = Meeting.Status.HELD
    format = Meeting.Format.IN_PERSON
    date_edtf = "2025-07-31"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    role = "delegate"


class CrewMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrewMember

    launch = factory.SubFactory(LaunchFactory)
    person = factory.SubFactory(PersonFactory)
    role = "commander"


def _claim_bounds(claim):
    if (claim.subject_type, claim.field) in DATE_FIELDS:
        try:
            return edtf_bounds(claim.value)
        except ValidationError:
            return None  # leave an invalid value for the test to feed to validation
    return None


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim about a meeting's title by default.

    For another subject pass e.g. `subject_type="launch", launch=launch, meeting=None`.
    Date claims get value_earliest/value_latest from their EDTF value, as Claim.clean() would.
    """

    class Meta:
        model = Claim

    source = factory.SubFactory(SourceFactory)
    subject_type = "meeting"
    meeting = factory.SubFactory(MeetingFactory)
    field = "title"
    value = factory.Sequence(lambda n: f"Claimed title {n}")
    rank = Claim.Rank.NORMAL
    locator = "1"
    note = ""
    value_earliest = factory.LazyAttribute(lambda c: (b := _claim_bounds(c)) and b.earliest)
    value_latest = factory.LazyAttribute(lambda c: (b := _claim_bounds(c)) and b.latest)
