"""Topics an article speaks of, found by the words of their names (and aliases) close together in a sentence:
stems rather than exact words ("extending" for "extension"), acronyms of the names ("LEO"), the known
abbreviations of places ("ISS"), and adjective forms of a few bodies ("lunar" for the Moon)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from events.extraction.context import Context, Read
from events.extraction.found import Subject
from events.extraction.gazetteer import STOPWORDS

WORD = re.compile(r"[\w]+")
# Words that say the same thing in another form; both sides are stemmed.
SAME = {"moon": "lunar", "martian": "mars", "russia": "russian", "china": "chinese", "programme": "program"}
# Bodies whose exploration topics their name alone stands for ("the Moon, LEO and Mars").
BODIES = {"lunar", "mars", "venus", "mercury", "jupiter", "saturn", "asteroid", "comet"}
EXPLORING = {"explor", "exploration", "mission", "science"}
SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "es", "ed", "s", "al", "ic")


def stem(word: str) -> str:
    word = SAME.get(word.lower(), word.lower())
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str, expand: dict[str, list[str]] | None = None) -> list[str]:
    """The stems of a text's words, compounds split ("cross-spaceflight" → cross, spaceflight, flight)."""
    out = []
    for w in WORD.findall(text):
        if expand and w in expand:
            out += expand[w]
            continue
        out.append(stem(w))
        if w.lower().startswith("space") and len(w) > 8:
            out.append(stem(w[5:]))
    return out


@dataclass(frozen=True)
class Term:
    slug: str
    stems: tuple[str, ...]
    exact: bool = False  # an acronym: the whole word, not a prefix ("ROS" is not "Roscosmos")


def terms(context: Context) -> list[Term]:
    found = []
    for topic in context.gazetteer.of_type("topic"):
        for name in (topic.name, *topic.aliases):
            parts = [name] + [p for p in re.split(r"\band\b|,", name) if len(words(p)) >= 2]
            for part in parts:
                stems = tuple(s for s in words(part) if s not in STOPWORDS and not s.isdigit())
                if stems:
                    found.append(Term(topic.slug, stems))
                if len(stems) == 2 and stems[0] in BODIES and stems[1] in EXPLORING:
                    # "Lunar exploration" is what an article means by "the Moon" among goals or missions.
                    found.append(Term(topic.slug, (stems[0],)))
            capitals = [w for w in WORD.findall(name) if w.lower() not in STOPWORDS]
            if len(capitals) >= 3:
                found.append(Term(topic.slug, (("".join(w[0] for w in capitals)).lower(),), exact=True))
    return found


def topics_in(text: str, term_list: list[Term], read: Read | None = None) -> set[str]:
    tokens = words(_abbreviated(text, read))
    raw = [w for w in WORD.findall(_abbreviated(text, read)) if w.isupper()]
    hits = set()
    for term in term_list:
        if term.exact:
            if term.stems[0].upper() in raw:
                hits.add(term.slug)
            continue
        window = 2 * len(term.stems) + 2
        positions = [
            [
                i
                for i, t in enumerate(tokens)
                if t.startswith(s) or (len(s) >= 5 and t.startswith(s[:5]) and len(t) >= 5)
            ]
            for s in term.stems
        ]
        if all(positions) and _close(positions, window):
            hits.add(term.slug)
    return hits


def _abbreviated(text: str, read: Read | None) -> str:
    """Names of places in the sentence replaced by their acronyms, which topic names use ("ISS operations")."""
    if read is None:
        return text
    out, last = [], 0
    for m in read.mentions:
        if m.type == "place" and m.how == "name":
            capitals = [w for w in WORD.findall(m.text) if w.lower() not in STOPWORDS]
            if len(capitals) >= 3:
                out += [text[last : m.start], "".join(w[0] for w in capitals)]
                last = m.end
    return "".join(out) + text[last:]


def _close(positions: list[list[int]], window: int) -> bool:
    """Some choice of one position per stem lies within `window` tokens."""
    return any(all(any(abs(p - a) <= window for p in ps) for ps in positions[1:]) for a in positions[0])


def run(context: Context) -> None:
    term_list = terms(context)
    context.topic_terms = term_list
    for read in context.reads:
        read.topics = topics_in(read.text, term_list, read)
        for slug in read.topics:
            record = context.gazetteer.get("topic", slug)
            context.emit(read, Subject("topic", slug), "name", record.name, wording=record.name, confidence=0.5)
