"""Keep derived data current: the dataset revision (Last-Modified), meeting lineups, claims in dispute."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from events.models import Claim, DatasetRevision, Meeting, Participant, Tenure
from events.models.claim import SUBJECT_ID
from events.services.dates import date_bounds_refresh_around

# Claimed fields whose claims bound dates (events.datebounds).
BOUNDING_FIELDS = {
    "meeting": ("status", "launch_relation", "related_launch"),
    "launch": ("status",),
    "tenure": ("predecessor",),
}


def dataset_touch(**kwargs):
    DatasetRevision.objects.update_or_create(id=1, defaults={"changed_at": timezone.now()})


def connect(app_config):
    for model in app_config.get_models():
        if model is DatasetRevision or hasattr(model, "instance_type"):  # history rows follow a change already seen
            continue
        uid = f"dataset-touch-{model._meta.label_lower}"
        post_save.connect(dataset_touch, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(dataset_touch, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(dataset_touch, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def _participant_moving(instance, **kwargs):
    # A participant moved to another meeting changes the lineup of the one it leaves too.
    before = Participant.objects.filter(pk=instance.pk).values_list("meeting_id", flat=True)
    instance._lineup_left = before.first() if instance.pk else None  # a new participant left nothing


def _participant_changed(instance, **kwargs):
    meetings = {instance.meeting_id, getattr(instance, "_lineup_left", None)} - {None}
    Meeting.objects.filter(pk__in=meetings).refresh_lineups()


def _tenure_saved(instance, **kwargs):
    # A tenure's agency or head flag decides whether its holder came as head of the agency.
    Meeting.objects.filter(participants__tenure=instance).distinct().refresh_lineups()


def _tenure_deleting(instance, **kwargs):
    # Deleting the tenure clears it on participants without signals; remember whose lineups change.
    instance._lineup_meetings = list(Participant.objects.filter(tenure=instance).values_list("meeting_id", flat=True))


def _tenure_deleted(instance, **kwargs):
    Meeting.objects.filter(pk__in=getattr(instance, "_lineup_meetings", [])).refresh_lineups()


def connect_lineups():
    pre_save.connect(_participant_moving, sender=Participant, dispatch_uid="lineup-participant-moving")
    post_save.connect(_participant_changed, sender=Participant, dispatch_uid="lineup-participant-save")
    post_delete.connect(_participant_changed, sender=Participant, dispatch_uid="lineup-participant-delete")
    post_save.connect(_tenure_saved, sender=Tenure, dispatch_uid="lineup-tenure-save")
    pre_delete.connect(_tenure_deleting, sender=Tenure, dispatch_uid="lineup-tenure-deleting")
    post_delete.connect(_tenure_deleted, sender=Tenure, dispatch_uid="lineup-tenure-deleted")


def _claim_changed(instance, **kwargs):
    if instance.subject_pk is None:
        return
    group = {"subject_type": instance.subject_type, "subject_id": instance.subject_pk, "field": instance.field}
    left = getattr(instance, "_dispute_left", None)
    for key in [group] if not left or left == group else [group, left]:
        claims = Claim.objects.same_subject_and_field(**key)
        claims.refresh_supersession()  # first: a superseded claim takes no part in disputes
        claims.refresh_disputes()
    if instance.field in BOUNDING_FIELDS.get(instance.subject_type, ()):
        try:
            subject = instance.subject
        except ObjectDoesNotExist:  # deleted along with its subject: nothing left to bound
            return
        if subject is not None:
            date_bounds_refresh_around(subject)


def _claim_moving(instance, **kwargs):
    # An edited claim may leave one subject or field for another: that group needs a fresh look too.
    before = Claim.objects.filter(pk=instance.pk).annotate(subject_id=SUBJECT_ID)
    instance._dispute_left = before.values("subject_type", "subject_id", "field").first() if instance.pk else None


def connect_disputes():
    pre_save.connect(_claim_moving, sender=Claim, dispatch_uid="dispute-claim-moving")
    post_save.connect(_claim_changed, sender=Claim, dispatch_uid="dispute-claim-save")
    post_delete.connect(_claim_changed, sender=Claim, dispatch_uid="dispute-claim-delete")
