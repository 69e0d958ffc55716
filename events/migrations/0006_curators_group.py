from django.contrib.auth.management import create_permissions
from django.db import migrations

# Everything a curator edits. Historical records are only viewed (and reverted through their record).
DATA_MODELS = [
    "source", "agency", "person", "place", "topic", "tenure", "meeting", "participant", "launch", "crewmember",
    "claim",
]


def curators_group(apps, schema_editor):
    # Permissions are normally created after migrating; this group needs them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in DATA_MODELS for action in ("add", "change", "delete", "view")]
    codenames += [f"view_historical{model}" for model in DATA_MODELS]
    group, _ = Group.objects.get_or_create(name="curators")
    group.permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))


def remove_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0005_history"),
    ]

    operations = [migrations.RunPython(curators_group, remove_curators_group)]
