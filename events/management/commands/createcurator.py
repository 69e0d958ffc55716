import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.services.curators import curator_create


class Command(BaseCommand):
    help = (
        "Create a curator: a staff user in the 'curators' group, who can edit the data but not users or groups. "
        "The password is prompted for, or read from the environment variable named by --password-env "
        "(default CURATOR_PASSWORD) for scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-env", default="CURATOR_PASSWORD", help="Variable holding the password.")

    def handle(self, *args, username, email, password_env, **options):
        password = os.environ.get(password_env)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(f"No terminal to ask for a password: set {password_env}.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = curator_create(username=username, password=password, email=email)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Curator {user.username} created."))
