"""An article's text: its hash, its paragraphs (the locator convention), its sentences and its own date."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from events.articles import ARTICLE_MAX_CHARS, ARTICLE_MAX_PARAGRAPHS

# Work is bounded whatever is pasted: longer texts are read up to here, and so many paragraphs at most.
MAX_TEXT_LENGTH, MAX_PARAGRAPHS = ARTICLE_MAX_CHARS, ARTICLE_MAX_PARAGRAPHS  # what ingestion takes (events.articles)
MAX_SENTENCE_LENGTH = 2_000

# Full stops that end an abbreviation, not a sentence.
ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|D\.C|Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Corp|approx)"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z])\.$"
)
SENTENCE_END = re.compile(r"[.!?][”\"’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Article:
    text: str  # as given, line endings normalised to \n
    paragraphs: tuple[str, ...]  # the non-blank lines, stripped; paragraph n is paragraphs[n - 1]
    sha256: str  # of the text's UTF-8 bytes exactly as given
    published: dt.date | None  # the date the text states for itself, if any
    published_wording: str


@dataclass(frozen=True)
class Sentence:
    paragraph: int  # counts from 1
    index: int  # position in the paragraph, from 0
    text: str


def article_read(text: str | bytes) -> Article:
    raw = text if isinstance(text, bytes) else (text or "").encode("utf-8", "surrogatepass")
    sha256 = hashlib.sha256(raw).hexdigest()
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    from events.extraction.dates import published_in  # dates imports this module's types

    published, wording = published_in(paragraphs[:3])
    return Article(text=text, paragraphs=paragraphs, sha256=sha256, published=published, published_wording=wording)


def sentences(article: Article) -> list[Sentence]:
    """The sentences of the paragraphs read (bounded), each with its paragraph number."""
    found, budget = [], MAX_TEXT_LENGTH
    for number, paragraph in enumerate(article.paragraphs[:MAX_PARAGRAPHS], start=1):
        if budget <= 0:
            break
        paragraph = paragraph[:budget]
        budget -= len(paragraph)
        for index, sentence in enumerate(split_sentences(paragraph)):
            found.append(Sentence(number, index, sentence[:MAX_SENTENCE_LENGTH]))
    return found


def split_sentences(paragraph: str) -> list[str]:
    parts, start = [], 0
    for match in SENTENCE_END.finditer(paragraph):
        head = paragraph[start : match.start() + 1]
        if ABBREVIATIONS.search(head):
            continue
        parts.append(paragraph[start : match.end()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]
