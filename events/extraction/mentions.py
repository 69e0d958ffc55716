"""Where a sentence names records: exact names first (longest wins), then close variants by rapidfuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from events.extraction.gazetteer import Gazetteer, Name

FUZZY_MIN_SCORE = 88
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3}")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    type: str
    slug: str
    how: str  # as Name.how, or "fuzzy"
    score: float = 1.0


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


class NameIndex:
    """The gazetteer's names compiled into two patterns: long names match in any case, short ones (acronyms)
    only as written, so "UN" is not found in "un-" nor "ESA" in "Esa"."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.by_text: dict[str, list[Name]] = {}
        exact, anycase = [], []
        for n in gazetteer.names:
            strict = len(n.text) <= 4 or n.text.isupper() or n.how in ("surname", "acronym")
            (exact if strict else anycase).append(n.text)
            self.by_text.setdefault(n.text if strict else n.text.lower(), []).append(n)
        edge_l, edge_r = r"(?<![\w-])", r"(?![\w]|-\w)"
        self.exact = re.compile(f"{edge_l}(?:{_alternation(exact)}){edge_r}") if exact else None
        self.anycase = re.compile(f"{edge_l}(?:{_alternation(anycase)}){edge_r}", re.IGNORECASE) if anycase else None
        self.fuzzy_choices = {
            n.text: n for n in gazetteer.names if n.how in ("name", "alias") and n.type in ("person", "agency", "place")
        }

    def find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for pattern, key in ((self.anycase, str.lower), (self.exact, str)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                for n in self.by_text.get(key(m.group(0)), [])[:1]:
                    found.append(Mention(m.start(), m.end(), m.group(0), n.type, n.slug, n.how))
        found.sort(key=lambda x: (-(x.end - x.start), x.start))
        kept: list[Mention] = []
        for mention in found:
            if not any(mention.start < k.end and k.start < mention.end for k in kept):
                kept.append(mention)
        kept += self._fuzzy(text, kept)
        return sorted(kept, key=lambda x: x.start)

    def _fuzzy(self, text: str, kept: list[Mention]) -> list[Mention]:
        """Capitalised runs no name matched, compared with known names: "Dmitri Bakanov", "Kosmo Kurs"."""
        extra = []
        if not self.fuzzy_choices:
            return extra
        for m in CAPITALISED_RUN.finditer(text):
            if any(m.start() < k.end and k.start < m.end() for k in kept) or len(m.group(0)) < 6:
                continue
            best = process.extractOne(
                m.group(0),
                list(self.fuzzy_choices),
                scorer=fuzz.ratio,
                processor=str.lower,
                score_cutoff=FUZZY_MIN_SCORE,
            )
            if best:
                n = self.fuzzy_choices[best[0]]
                extra.append(Mention(m.start(), m.end(), m.group(0), n.type, n.slug, "fuzzy", best[1] / 100))
        return extra
