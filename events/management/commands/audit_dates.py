from django.core.management.base import BaseCommand

from events.datebounds import date_audit


def _span(bounds) -> str:
    return f"{bounds.earliest or '…'} to {bounds.latest or '…'}"


class Command(BaseCommand):
    help = (
        "Print every meeting's, launch's and tenure's dates as a Markdown table: the bounds their own text gives, "
        "the bounds stored (with those derived from claims), and the rules and claims that narrowed them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--changed", action="store_true", help="Only the dates that claims narrowed.")

    def handle(self, *args, changed=False, **options):
        self.stdout.write("| record | date | EDTF | bounds before | bounds after | derived from |")
        self.stdout.write("| --- | --- | --- | --- | --- | --- |")
        for row in date_audit():
            if changed and not row.grounds:
                continue
            grounds = "; ".join(row.grounds) or "its own text"
            self.stdout.write(
                f"| {row.record} | {row.name} | `{row.edtf or '(unknown)'}` | {_span(row.before)} | "
                f"{_span(row.after)} | {grounds} |"
            )
