"""Ingestion: what reading an article for its candidate claims costs, on the seed's five articles.

Makes a scratch SQLite database with the seed (migrated and loaded as `load_seed_data` does), builds the gazetteer
once, then for each article: `extract` REPEAT times, and the whole of `source_candidates_propose` (the gazetteer,
extraction, each candidate's standing against the claims held, the rows stored) in a transaction rolled back.
Last, the largest text ingestion takes (ARTICLE_MAX_PARAGRAPHS paragraphs, each a dated meeting of two records the
seed does not hold), timed once: what the bounds on a text let one request cost. Prints milliseconds (median of the
runs) and writes the table into bench/RESULTS.md between the ingestion markers.
Needs the article texts (../shared/seeds, or ARTICLES_DIR).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from report import section_publish
from scratch import ROOT, scratch_django

ARTICLES = Path(os.environ.get("ARTICLES_DIR", ROOT.parent / "shared" / "seeds"))
REPEAT = 5
START, END = "<!-- ingestion -->", "<!-- /ingestion -->"
# As many paragraphs as an article may have, each naming two unknown agencies' heads meeting on a day.
LARGEST = "\n".join(
    f"Orbita chief Ana Vell met USAA head Rui Sand in Lunaport on May {1 + n % 28}." for n in range(500)
)


def _django(database: Path):
    scratch_django(database)
    from django.core.management import call_command

    call_command("load_seed_data", verbosity=0)


def _ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 1)


def main() -> None:
    if not ARTICLES.is_dir():
        sys.exit(f"No article texts at {ARTICLES}: give their directory as ARTICLES_DIR.")
    with tempfile.TemporaryDirectory() as scratch:
        _django(Path(scratch) / "ingest.sqlite3")
        from django.db import transaction

        from events.extraction import Gazetteer, article_read, extract
        from events.models import Source
        from events.services.ingest import source_candidates_propose

        gazetteer = Gazetteer.from_database()
        rows = []
        for path in sorted(ARTICLES.glob("*.txt")):
            article = article_read(path.read_bytes().decode())
            source = Source.objects.get(sha256=article.sha256)
            day = source.published_latest
            runs = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                found = extract(article, published=day, gazetteer=gazetteer)
                runs.append(time.perf_counter() - started)
            extracted, runs = _ms(runs), []
            for _ in range(REPEAT):
                with transaction.atomic():
                    started = time.perf_counter()
                    source_candidates_propose(source=source, article=article)
                    runs.append(time.perf_counter() - started)
                    transaction.set_rollback(True)
            rows.append((path.stem, len(article.paragraphs), len(found), extracted, _ms(runs)))
        largest = article_read(LARGEST)
        started = time.perf_counter()
        found = extract(largest, published=day, gazetteer=gazetteer)
        rows.append(("largest text", len(largest.paragraphs), len(found), _ms([time.perf_counter() - started]), ""))
    lines = [
        START,
        "## Ingestion: the seed's articles read for candidate claims (bench/ingest.py)",
        "",
        f"SQLite, the seed loaded; median of {REPEAT} runs, milliseconds. *extract*: `extract` alone, the gazetteer "
        "built; *ingest*: `source_candidates_propose` whole (the gazetteer built, extraction, each candidate against "
        "the claims held, the rows stored).",
        "",
        "| article | paragraphs | candidates | extract | ingest |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {a} | {p} | {n} | {e} | {i} |" for a, p, n, e, i in rows),
        END,
    ]
    section_publish(lines)


if __name__ == "__main__":
    main()
