"""extract(): an article's text to candidate claims, by the rules of the modules named in RULES."""

from __future__ import annotations

import datetime as dt
import logging

from events.extraction import agencies, launches, meetings, names, places, posts, proposals, topics
from events.extraction.context import Context
from events.extraction.found import Found
from events.extraction.gazetteer import Gazetteer
from events.extraction.mentions import NameIndex
from events.extraction.text import Article

logger = logging.getLogger(__name__)

# Order matters: later rules read what earlier ones resolved (proposals first, as mentions of the records they
# propose; posts before meetings, topics before meetings).
RULES = (proposals.run, names.run, topics.run, agencies.run, places.run, posts.run, launches.run, meetings.run)
_INDEXES: dict[int, NameIndex] = {}


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """The compiled names of a gazetteer, kept while the gazetteer lives (one compile per ingestion run)."""
    key = id(gazetteer)
    index = _INDEXES.get(key)
    if index is None or index.gazetteer is not gazetteer:
        _INDEXES.clear()
        index = _INDEXES[key] = NameIndex(gazetteer)
    return index


def extract(article: Article, *, published: dt.date, gazetteer: Gazetteer) -> list[Found]:
    """Candidate claims of `article`, each (subject, field, value) once. Never raises on odd text: a rule that
    fails is logged and skipped, and the others still run."""
    context = Context.of(article, published=published, gazetteer=gazetteer, index=name_index(gazetteer))
    for rule in RULES:
        try:
            rule(context)
        except Exception:  # one broken rule must not lose the rest of the candidates
            logger.exception("extraction rule %s failed", rule.__module__)
    return context.results()
