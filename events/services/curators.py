"""Curator accounts: staff users in the `curators` group, and nothing more."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

CURATORS = "curators"


@transaction.atomic
def curator_create(*, username: str, password: str, email: str = ""):
    """Create a staff user who belongs to the curators group; validates the password first."""
    User = get_user_model()
    user = User(username=username, email=email, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=CURATORS))
    return user
