"""factory-boy factories for the events models.

Factories write rows as the services do (record_store), so derived values (date bounds, lineups, dispute flags,
versions, the dataset revision) follow as in real use. They do not call full_clean(), so a test can still build
rows that Python validation would reject.
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
from events.services.records import record_store


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return record_store(instance=model_class(*args, **kwargs))


class SourceFactory(ServiceFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "Example Wire"
    kind = Source.Kind.NEWS
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"source-{n}".encode()).hexdigest())
    paragraphs = 20
    published_edtf = "2025-07-31"


class AgencyFactory(ServiceFactory):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.SPACE_AGENCY
    country = "US"


class PersonFactory(ServiceFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    nationality = "US"


class PlaceFactory(ServiceFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.CITY
    country = "US"


class TopicFactory(ServiceFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class TenureFactory(ServiceFactory):
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


class LaunchFactory(ServiceFactory):
    class Meta:
        model = Launch

    slug = factory.Sequence(lambda n: f"launch-{n}")
    name = factory.Sequence(lambda n: f"Launch {n}")
    vehicle = "Falcon 9"
    status = Launch.Status.SUCCESS
    date_edtf = "2025-08-01"


class MeetingFactory(ServiceFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    kind = Meeting.Kind.BILATERAL
    status = Meeting.Status.HELD
    format = Meeting.Format.IN_PERSON
    date_edtf = "2025-07-31"


class ParticipantFactory(ServiceFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    role = "delegate"


class CrewMemberFactory(ServiceFactory):
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


class ClaimFactory(ServiceFactory):
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
