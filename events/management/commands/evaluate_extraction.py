import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.extraction.evaluation import ArticlesMissing, docs_update, evaluation_run, table


class Command(BaseCommand):
    help = (
        "Measure extraction on the seed articles: on a copy of the database without the articles' claims (rolled "
        "back at the end), compare the candidates with the curated claims, by field and article, and write the "
        "tables into docs/extraction.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--articles",
            type=Path,
            default=settings.BASE_DIR.parent / "shared" / "seeds",
            help="Directory of the article texts (*.txt); default ../shared/seeds.",
        )
        parser.add_argument("--no-docs", action="store_true", help="Do not rewrite docs/extraction.md.")
        parser.add_argument("--verbose-misses", action="store_true", help="List what was missed and what was extra.")

    def handle(self, *args, output_format="text", articles=None, no_docs=False, verbose_misses=False, **options):
        try:
            result = evaluation_run(articles=articles)
        except ArticlesMissing as exc:
            raise CommandError(f"{exc} Give the directory of the article texts with --articles.") from exc
        if not no_docs:
            docs_update(result, path=settings.BASE_DIR / "docs" / "extraction.md")
        if output_format == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        self.stdout.write(table(result))
        if verbose_misses:
            for article in sorted(result.missed):
                self.stdout.write(f"\n== {article}")
                for key in result.missed[article]:
                    self.stdout.write(f"  missed {' '.join(key)}")
                for key in result.extra[article]:
                    self.stdout.write(f"  extra  {' '.join(key)}")
