"""How well extraction does on the seed: each article ingested (its candidates proposed and stored, as for any new
article) on a copy of the database without the articles' claims, a transaction rolled back at the end, and the
candidates compared with the curated claims."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from events.extraction.text import article_read


class ArticlesMissing(Exception):
    pass


@dataclass
class Score:
    found: int = 0
    curated: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.curated if self.curated else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "found": self.found,
            "curated": self.curated,
            "matched": self.matched,
        }


@dataclass
class Evaluation:
    total: Score = field(default_factory=Score)
    by_field: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_article: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    missed: dict[str, list[tuple]] = field(default_factory=dict)
    extra: dict[str, list[tuple]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "total": self.total.as_dict(),
            "by_field": {k: v.as_dict() for k, v in sorted(self.by_field.items())},
            "by_article": {k: v.as_dict() for k, v in sorted(self.by_article.items())},
        }


def _key(subject_type: str, slug: str, field_: str, value: str) -> tuple[str, str, str, str]:
    return subject_type, slug, field_, value


def evaluation_run(*, articles: Path) -> Evaluation:
    """Compare extraction's candidates with the curated claims of each article found in `articles`."""
    from events.models import Claim, Source
    from events.services.ingest import source_candidates_propose

    if not articles.is_dir():
        raise ArticlesMissing(f"No article directory at {articles}.")
    result = Evaluation()
    with transaction.atomic():
        curated: dict[str, set[tuple]] = defaultdict(set)
        claims = Claim.objects.filter(source__in=Source.objects.articles()).select_related("source", *_subject_fields())
        for claim in claims:
            subject = claim.subject
            curated[claim.source.slug].add(_key(claim.subject_type, subject.slug, claim.field, claim.value))
        # The copy: what ingestion sees when the articles are new, records and the editors' own claims (aliases).
        Claim.objects.filter(source__in=Source.objects.articles()).delete()
        for path in sorted(articles.glob("*.txt")):
            raw = path.read_bytes()
            article = article_read(raw.decode("utf-8", "replace") if _is_text(raw) else "")
            source = Source.objects.filter(sha256=article.sha256).first()
            if source is None:
                continue
            started = time.perf_counter()
            candidates = source_candidates_propose(source=source, article=article)
            result.seconds[source.slug] = round(time.perf_counter() - started, 3)
            got = {_key(c.subject_type, c.subject_slug, c.field, c.value) for c in candidates}
            want = curated.get(source.slug, set())
            _add(result, source.slug, got, want)
        transaction.set_rollback(True)
    return result


def _is_text(raw: bytes) -> bool:
    return b"\x00" not in raw[:4096]


def _subject_fields() -> tuple[str, ...]:
    from events.claimfields import SUBJECT_TYPES

    return SUBJECT_TYPES


def _add(result: Evaluation, article: str, got: set, want: set) -> None:
    matched = got & want
    for score in (result.total, result.by_article[article]):
        score.found += len(got)
        score.curated += len(want)
        score.matched += len(matched)
    for keys, attr in ((got, "found"), (want, "curated"), (matched, "matched")):
        for key in keys:
            s = result.by_field[f"{key[0]}.{key[2]}"]
            setattr(s, attr, getattr(s, attr) + 1)
    result.missed[article] = sorted(want - got)
    result.extra[article] = sorted(got - want)


MARK_START = "<!-- measured: start (written by `python manage.py evaluate_extraction`) -->"
MARK_END = "<!-- measured: end -->"


def table(result: Evaluation) -> str:
    lines = ["| | precision | recall | found | curated | matched |", "| --- | ---: | ---: | ---: | ---: | ---: |"]

    def row(label, s):
        lines.append(f"| {label} | {s.precision:.2f} | {s.recall:.2f} | {s.found} | {s.curated} | {s.matched} |")

    row("**total**", result.total)
    for name, s in sorted(result.by_article.items()):
        row(f"article {name}", s)
    lines.append("")
    lines += [
        "| field | precision | recall | found | curated | matched |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in sorted(result.by_field.items()):
        row(name, s)
    return "\n".join(lines)


def docs_update(result: Evaluation, *, path: Path) -> None:
    """Rewrite the measured part of the document between its markers; the prose around it stays."""
    measured = f"{MARK_START}\n\n{table(result)}\n\n{MARK_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Extraction\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START in text and MARK_END in text:
        text = re.sub(re.escape(MARK_START) + r".*?" + re.escape(MARK_END), lambda _: measured, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + measured + "\n"
    path.write_text(text, encoding="utf-8")
