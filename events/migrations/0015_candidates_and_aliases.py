"""Candidate claims of ingested articles, and aliases: a claim field of many values, never preferred.

On SQLite, adding the claim constraint rebuilds the table, which drops the search triggers on it: they are made again.
"""

import importlib

from django.contrib.auth.management import create_permissions

import django.core.validators
import django.db.models.deletion
import re
import simple_history.models
from django.conf import settings
from django.db import migrations, models


search_index = importlib.import_module("events.migrations.0014_search_index")


def curators_review(apps, schema_editor):
    """Curators review candidates (view them, accept or reject them: a change); candidates come from ingestion
    only, and stay once decided."""
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    group = apps.get_model("auth", "Group").objects.filter(name="curators").first()
    if group is not None:
        codenames = ["view_candidate", "change_candidate", "view_historicalcandidate"]
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(*Permission.objects.filter(content_type__app_label="events", codename__in=codenames))


def _claim_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in search_index.sqlite_triggers("claim"):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0014_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Candidate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "subject_type",
                    models.CharField(
                        choices=[
                            ("agency", "Agency"),
                            ("person", "Person"),
                            ("place", "Place"),
                            ("topic", "Topic"),
                            ("tenure", "Tenure"),
                            ("meeting", "Meeting"),
                            ("launch", "Launch"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "subject_slug",
                    models.SlugField(
                        help_text="The record's slug; for a record not in the database, the slug it would get.",
                        max_length=120,
                    ),
                ),
                (
                    "subject_name",
                    models.CharField(help_text="The record's name, as the article gives it.", max_length=300),
                ),
                (
                    "is_new",
                    models.BooleanField(
                        default=False,
                        help_text="The article names a record the database does not hold yet.",
                        verbose_name="new record",
                    ),
                ),
                ("field", models.CharField(max_length=40)),
                ("value", models.CharField(help_text="Canonical text, as a claim's value.", max_length=500)),
                (
                    "wording",
                    models.CharField(blank=True, help_text="The article's own words for the value.", max_length=500),
                ),
                (
                    "locator",
                    models.CharField(
                        max_length=60,
                        validators=[
                            django.core.validators.RegexValidator(
                                re.compile("\\A\\d+(-\\d+)?(,\\d+(-\\d+)?)*\\Z"), "Paragraph numbers, e.g. 14 or 46-48."
                            )
                        ],
                    ),
                ),
                ("sentence", models.TextField(help_text="The sentence of the article the candidate rests on.")),
                ("confidence", models.FloatField(help_text="How sure the extraction is, from 0 to 1.")),
                (
                    "relation",
                    models.CharField(
                        choices=[
                            ("agrees", "agrees with a claim we have"),
                            ("adds", "adds a value"),
                            ("contradicts", "contradicts a claim we have"),
                        ],
                        help_text="Against the claims held when found.",
                        max_length=12,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "waiting for review"), ("accepted", "accepted"), ("rejected", "rejected")],
                        db_index=True,
                        default="pending",
                        max_length=10,
                    ),
                ),
                (
                    "note",
                    models.TextField(blank=True, help_text="The reviewer's: why it was rejected, or what was changed."),
                ),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["source", "subject_type", "subject_slug", "field", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCandidate",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "subject_type",
                    models.CharField(
                        choices=[
                            ("agency", "Agency"),
                            ("person", "Person"),
                            ("place", "Place"),
                            ("topic", "Topic"),
                            ("tenure", "Tenure"),
                            ("meeting", "Meeting"),
                            ("launch", "Launch"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "subject_slug",
                    models.SlugField(
                        help_text="The record's slug; for a record not in the database, the slug it would get.",
                        max_length=120,
                    ),
                ),
                (
                    "subject_name",
                    models.CharField(help_text="The record's name, as the article gives it.", max_length=300),
                ),
                (
                    "is_new",
                    models.BooleanField(
                        default=False,
                        help_text="The article names a record the database does not hold yet.",
                        verbose_name="new record",
                    ),
                ),
                ("field", models.CharField(max_length=40)),
                ("value", models.CharField(help_text="Canonical text, as a claim's value.", max_length=500)),
                (
                    "wording",
                    models.CharField(blank=True, help_text="The article's own words for the value.", max_length=500),
                ),
                (
                    "locator",
                    models.CharField(
                        max_length=60,
                        validators=[
                            django.core.validators.RegexValidator(
                                re.compile("\\A\\d+(-\\d+)?(,\\d+(-\\d+)?)*\\Z"), "Paragraph numbers, e.g. 14 or 46-48."
                            )
                        ],
                    ),
                ),
                ("sentence", models.TextField(help_text="The sentence of the article the candidate rests on.")),
                ("confidence", models.FloatField(help_text="How sure the extraction is, from 0 to 1.")),
                (
                    "relation",
                    models.CharField(
                        choices=[
                            ("agrees", "agrees with a claim we have"),
                            ("adds", "adds a value"),
                            ("contradicts", "contradicts a claim we have"),
                        ],
                        help_text="Against the claims held when found.",
                        max_length=12,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "waiting for review"), ("accepted", "accepted"), ("rejected", "rejected")],
                        db_index=True,
                        default="pending",
                        max_length=10,
                    ),
                ),
                (
                    "note",
                    models.TextField(blank=True, help_text="The reviewer's: why it was rejected, or what was changed."),
                ),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical candidate",
                "verbose_name_plural": "historical candidates",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(("field", "alias"), ("subject_type", "agency")),
                        models.Q(("field", "alias"), ("subject_type", "person")),
                        models.Q(("field", "alias"), ("subject_type", "place")),
                        models.Q(("field", "alias"), ("subject_type", "topic")),
                        models.Q(("field", "alias"), ("subject_type", "launch")),
                        _connector="OR",
                    ),
                    ("rank", "preferred"),
                    _negated=True,
                ),
                name="claim_of_many_values_not_preferred",
                violation_error_message="An alias is one name of several: rank it normal (or deprecated), never preferred.",
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="claim",
            field=models.OneToOneField(
                blank=True,
                help_text="The claim accepting it made.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="candidate",
                to="events.claim",
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="candidates", to="events.source"
            ),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="claim",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The claim accepting it made.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="events.claim",
            ),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="events.source",
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["subject_type", "subject_slug"], name="candidate_record_idx"),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                fields=("source", "subject_type", "subject_slug", "field", "value"), name="candidate_once_per_source"
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(("confidence__gte", 0), ("confidence__lte", 1)), name="candidate_confidence_in_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "pending"), ("reviewed_at__isnull", False), _connector="OR"),
                name="candidate_reviewed_when_decided",
            ),
        ),
        migrations.RunPython(_claim_search_triggers, migrations.RunPython.noop),
        migrations.RunPython(curators_review, migrations.RunPython.noop),
    ]
