from django.core.management.base import BaseCommand, CommandError

from bench.synthetic.generate import SyntheticError, synthetic_clear, synthetic_generate
from events.progress import terminal_progress


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic, reproducible records (slugs starting with syn-) for load tests: "
        "meetings, launches, people, with tenures, places, topics, participants, crew, and claims from 2-5 "
        "sources per record that give every value it holds. "
        "--clear removes them again and leaves the seed dataset untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=0, help="How many meetings (default 0).")
        parser.add_argument("--launches", type=int, default=0, help="How many launches (default 0).")
        parser.add_argument("--people", type=int, default=0, help="How many people (at least 2 when generating).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same records.")
        parser.add_argument("--clear", action="store_true", help="Remove synthetic records (before generating any).")

    def handle(self, *args, meetings, launches, people, seed, clear, **options):
        if min(meetings, launches, people) < 0:
            raise CommandError("Counts cannot be negative.")
        generate = bool(meetings or launches or people)
        if not clear and not generate:
            raise CommandError("Nothing to do: give --meetings/--launches/--people, or --clear.")
        if clear:
            removed = synthetic_clear()
            self.stdout.write(f"Removed {sum(removed.values())} synthetic rows.")
        if generate:
            try:
                created = synthetic_generate(
                    meetings=meetings,
                    launches=launches,
                    people=people,
                    seed=seed,
                    progress=terminal_progress(self.stderr),
                )
            except SyntheticError as exc:
                raise CommandError(str(exc)) from exc
            for label, count in sorted(created.items()):
                self.stdout.write(f"{label}: {count} created")
            self.stdout.write(self.style.SUCCESS(f"Generated {sum(created.values())} synthetic rows (seed {seed})."))
