"""Keep the dataset revision current: any change to a record moves Last-Modified forward."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from events.models import DatasetRevision


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
