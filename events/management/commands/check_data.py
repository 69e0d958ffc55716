import json

from django.core.management.base import BaseCommand, CommandError

from events.integrity import CHECKS, data_inconsistencies
from events.progress import terminal_progress


class Command(BaseCommand):
    help = (
        "Look for inconsistent data: orphan claims, head tenures that certainly overlap, records no source backs, "
        "participants outside their tenure, and derived values (record vs preferred claim, meeting lineups, "
        "claims in dispute, date bounds) that are out of date. Exits with status 1 when anything is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["text", "json"],
            default="text",
            help="Output format (default text).",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            choices=list(CHECKS),
            metavar="CHECK",
            help=f"Leave out a check (repeatable): {', '.join(CHECKS)}. stale_date_bounds parses every distinct "
            "date, the slowest check on a large database.",
        )

    def handle(self, *args, output_format="text", skip=(), **options):
        found = data_inconsistencies(skip=set(skip), progress=terminal_progress(self.stderr))
        total = sum(len(findings) for findings in found.values())
        if output_format == "json":
            report = {
                "inconsistencies": total,
                "checks": {
                    name: {"description": CHECKS[name][0], "found": [f.as_dict() for f in findings]}
                    for name, findings in found.items()
                },
                "skipped": sorted(set(skip)),
            }
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            for name, findings in found.items():
                self.stdout.write(f"{CHECKS[name][0]} ({name}): {len(findings) or 'none'}")
                for f in findings:
                    self.stdout.write(f"  {f.model} {f.record} (id {f.pk}): {f.detail}")
            if skip:
                self.stdout.write(f"Skipped: {', '.join(sorted(set(skip)))}")
        if total:
            raise CommandError(f"{total} inconsistencies found.")
        if output_format != "json":
            self.stdout.write(self.style.SUCCESS("No inconsistencies found."))
