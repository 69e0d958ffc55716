from events.models.candidate import Candidate
from events.models.claim import Claim
from events.models.core import Agency, Person, Place, Source, Topic
from events.models.events import CrewMember, Launch, Meeting, Participant
from events.models.revision import DatasetRevision
from events.models.tenure import Tenure

__all__ = [
    "Agency",
    "Candidate",
    "Claim",
    "DatasetRevision",
    "CrewMember",
    "Launch",
    "Meeting",
    "Participant",
    "Person",
    "Place",
    "Source",
    "Tenure",
    "Topic",
]
