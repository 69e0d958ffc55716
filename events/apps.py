from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Space diplomacy events"

    def ready(self):
        from events.api import schema  # noqa: F401 - registers the OpenAPI field extensions
