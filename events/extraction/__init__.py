"""Source ingestion's extraction engine: an article's text to candidate claims, by rules over the text, a
gazetteer of the database's records, rapidfuzz for name variants and dateparser for date phrases."""

from events.extraction.engine import extract
from events.extraction.found import Found, Subject, proposed_slug
from events.extraction.gazetteer import Gazetteer
from events.extraction.text import Article, article_read

__all__ = ["Article", "Found", "Gazetteer", "Subject", "article_read", "extract", "proposed_slug"]
