import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.articles import article_text_from_file
from events.models import Source
from events.services.ingest import source_ingest


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date takes a day as YYYY-MM-DD, not {text!r}.") from exc


class Command(BaseCommand):
    help = (
        "Add an article (a .txt or .html FILE) as a source: its hash, paragraphs and date (as the text states it, "
        "else --date), and the candidate claims found in it, which wait in the admin's review queue. Prints them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article: a .txt (UTF-8) or .html file.")
        parser.add_argument("--date", type=_day, help="Its publication day (YYYY-MM-DD), if the text states none.")
        parser.add_argument("--title", default="", help="Its title (default: its first line).")
        parser.add_argument("--outlet", default="", help="Who published it.")
        parser.add_argument("--url", default="", help="Where it was published.")
        parser.add_argument(
            "--kind", choices=[k for k in Source.Kind.values if k != Source.Kind.JUDGEMENT], default="news"
        )
        parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text")

    def handle(self, *args, file, date=None, title="", outlet="", url="", kind="news", output_format="text", **options):
        path = Path(file)
        try:
            text = article_text_from_file(name=path.name, content=path.read_bytes())
            source, candidates = source_ingest(
                text=text, published=date, title=title, outlet=outlet, url=url, kind=kind
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        found = [
            {
                "subject": {
                    "type": c.subject_type,
                    **({"name": c.subject_name, "new": True} if c.is_new else {"slug": c.subject_slug}),
                },
                "field": c.field,
                "value": c.value,
                "wording": c.wording,
                "locator": c.locator,
                "sentence": c.sentence,
                "confidence": round(c.confidence, 2),
                "relation": c.relation,
            }
            for c in candidates
        ]
        if output_format == "json":
            report = {"source": source.slug, "published": source.published_edtf, "candidates": found}
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"Source {source.slug}: {source.paragraphs} paragraphs, published {source.published_edtf}; "
            f"{len(found)} candidate claims, waiting for review."
        )
        for item in found:
            subject = item["subject"].get("slug") or f"new: {item['subject']['name']}"
            self.stdout.write(
                f"  [{item['locator']}] {item['subject']['type']} {subject} {item['field']} = {item['value']} "
                f"({item['relation']}, {item['confidence']:.2f})"
            )
