"""Ranked full-text search over every resource: what is searched, the query syntax, and the reads.

Each record is one document of three weighted parts: (A) its names and titles, (B) other identifying text,
(C) descriptions, summaries and notes; a word found in A weighs most. PostgreSQL ranks with ts_rank over the
GIN-indexed document, SQLite with FTS5's bm25 over its index table (both made by migration 0014, which freezes
the columns SEARCHED names). Case and accents never matter; words match whole words (no stemming).

The query syntax is a web search's: `words` (all of them), `"a phrase"`, `-word` or `-"a phrase"` (none of it),
`this OR that`, and `prefix*`. One parser reads it for both databases, so both answer the same question.
"""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, TextField, Value

from events.claimfields import SUBJECT_TYPES
from events.models import Agency, Claim, Launch, Meeting, Person, Place, Source, Tenure, Topic
from events.models.common import shown_name

QUERY_MAX_LENGTH = 200
QUERY_MAX_WORDS = 20
PREFIX_MIN_LENGTH = 2  # `a*` would match most of the index


@dataclass(frozen=True)
class Searched:
    model: type
    code: int  # the type's number in SQLite's index (the rowid's low four bits)
    a: tuple[str, ...] = ()
    b: tuple[str, ...] = ()
    c: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # what its shown name reads
    shown: Callable = shown_name  # the name a hit shows

    @property
    def parts(self) -> tuple[tuple[str, ...], ...]:
        return self.a, self.b, self.c


# Resource type (as its URLs name it) -> what is searched. Types in alphabetical order, so ties sort alike on both
# databases.
SEARCHED = {
    "agency": Searched(Agency, 1, a=("name", "short_name")),
    # A claim's value repeats its record's (or is a slug or a date): its note, in our words, is what it adds.
    "claim": Searched(
        Claim,
        2,
        c=("note",),
        related=("source", *(t for t in SUBJECT_TYPES if t != "tenure"), "tenure__person", "tenure__agency"),
    ),
    "launch": Searched(Launch, 3, a=("name",), b=("vehicle", "spacecraft"), c=("summary",)),
    "meeting": Searched(Meeting, 4, a=("title",), c=("summary",)),
    "person": Searched(Person, 5, a=("name", "native_name")),
    "place": Searched(Place, 6, a=("name",)),
    "source": Searched(Source, 7, a=("title",), b=("outlet",), c=("summary", "reliability_note")),
    # A hit has no context around it: the person and agency of the post, not its title alone.
    "tenure": Searched(Tenure, 8, a=("title",), related=("person", "agency"), shown=str),
    "topic": Searched(Topic, 9, a=("name",), c=("description",)),
}
TYPE_OF = {searched.model: name for name, searched in SEARCHED.items()}
WEIGHTS = (1.0, 0.4, 0.2)  # A, B, C

# --- the query ------------------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")  # letters and digits: what both databases' tokenizers keep as a word
ITEM = re.compile(r'(?P<exclude>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    prefix: bool = False  # the last word is a prefix


@dataclass(frozen=True)
class Query:
    """All of `required` (each group: any of its phrases), none of `excluded`."""

    required: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]

    def fts5(self) -> str:
        """As an FTS5 query: every word quoted, so no text makes a syntax error."""
        groups = [" OR ".join(map(_fts5_phrase, group)) for group in self.required]
        text = " AND ".join(f"({group})" for group in groups)
        return " NOT ".join([f"({text})", *map(_fts5_phrase, self.excluded)])

    def tsquery(self) -> str:
        """As PostgreSQL's to_tsquery text: every word quoted, so no text makes a syntax error."""
        groups = [" | ".join(map(_ts_phrase, group)) for group in self.required]
        return " & ".join([*(f"({group})" for group in groups), *(f"!{_ts_phrase(p)}" for p in self.excluded)])


def _fts5_phrase(phrase: Phrase) -> str:
    return '"' + " ".join(phrase.words) + '"' + ("*" if phrase.prefix else "")


def _ts_phrase(phrase: Phrase) -> str:
    words = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in phrase.words]
    if phrase.prefix:
        words[-1] += ":*"
    return "(" + " <-> ".join(words) + ")"


def _phrase(text: str, *, quoted: bool) -> Phrase | None:
    words = tuple(WORD.findall(text))
    if not words:
        return None
    prefix = not quoted and text.endswith("*") and len(words[-1]) >= PREFIX_MIN_LENGTH
    return Phrase(words, prefix)


def parse_query(text: str) -> Query:
    """The query `text` asks, in web search syntax (see the module's docstring). A word of several parts (`MS-28`,
    `D.C.`) is a phrase of them. Text with no word to find asks for nothing (no record matches it)."""
    if len(text) > QUERY_MAX_LENGTH:
        raise QueryError(f"At most {QUERY_MAX_LENGTH} characters.")
    required: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    joins = excluded_last = False  # joins: an OR just read, right after a required phrase
    for item in ITEM.finditer(text):
        word = item["word"]
        if word == "OR" and not item["exclude"]:
            joins = bool(required) and not excluded_last
            continue
        phrase = _phrase(item["phrase"] if word is None else word, quoted=word is None)
        if phrase is None:
            continue
        if item["exclude"]:
            excluded.append(phrase)
        elif joins:
            required[-1].append(phrase)
        else:
            required.append([phrase])
        excluded_last, joins = bool(item["exclude"]), False
    words = sum(len(p.words) for p in excluded) + sum(len(p.words) for group in required for p in group)
    if words > QUERY_MAX_WORDS:
        raise QueryError(f"At most {QUERY_MAX_WORDS} words.")
    return Query(tuple(map(tuple, required)), tuple(excluded))


# --- one resource ---------------------------------------------------------------------------------------------


def ranked(queryset, query: Query):
    """The records of `queryset` that match `query`, annotated `search_rank` (higher is better) and ordered by it,
    best first, ties by pk."""
    if not query.required:
        return queryset.none()
    searched = SEARCHED[TYPE_OF[queryset.model]]
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        document, matched = _document(searched), _tsquery(query)
        queryset = queryset.filter(_Matches(document, matched)).annotate(search_rank=_TsRank(document, matched))
    else:
        queryset = _ranked_sqlite(queryset, searched, query)
    return queryset.order_by("-search_rank", "pk")


class _Joined(Func):
    """Columns as one text, a space between each (as the index was built)."""

    template = "%(expressions)s"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _TsRank(Func):
    # Weights D, C, B, A; normalization 1 divides by the document's log length, so a short name that matches
    # ranks above a long text that mentions the word as often.
    template = f"ts_rank('{{0, {WEIGHTS[2]}, {WEIGHTS[1]}, {WEIGHTS[0]}}}', %(expressions)s, 1)"
    output_field = FloatField()


def _document(searched: Searched) -> Func:
    """The expression migration 0014 indexes, column for column, so the planner uses the index."""
    parts = [_Joined(*map(F, columns)) if columns else Value("") for columns in searched.parts]
    return Func(*parts, function="spacediplo_document", output_field=TextField())


def _tsquery(query: Query) -> Func:
    return Func(
        Value(query.tsquery()), template="to_tsquery('spacediplo_search', %(expressions)s)", output_field=TextField()
    )


def _ranked_sqlite(queryset, searched: Searched, query: Query):
    # FTS5 ranks only the rows of its own scan: the index table has to be joined, which the ORM cannot say of a
    # table that is not a model. (A correlated subquery would rescan the index for each row: minutes at 100,000.)
    table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
    return queryset.extra(  # noqa: S610 (the query text goes in as a parameter)
        select={"search_rank": f"-bm25(events_search, {', '.join(map(str, WEIGHTS))})"},
        tables=["events_search"],
        where=[
            "events_search MATCH %s",
            f"{table}.id = (events_search.rowid >> 4)",
            "(events_search.rowid & 15) = %s",
        ],
        params=[query.fts5(), searched.code],
    )


# --- every resource -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    type: str
    pk: int
    rank: float


class Hits:
    """The records of `types` (all without) that match `query`, best first, ties by type and pk. A paginator
    counts it and slices it; each slice reads one page of hits."""

    def __init__(self, query: Query, types=()):
        self.query = query
        self.types = sorted(types or SEARCHED)
        self.db = Meeting.objects.db
        self.vendor = connections[self.db].vendor

    def count(self) -> int:
        if not self.query.required:
            return 0
        if self.vendor == "postgresql":
            return self._union().count()
        sql, params = self._sqlite_select("count(*)")
        return self._fetch(sql, params)[0][0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        start, stop = window.start or 0, window.stop
        if not self.query.required or stop <= start:
            return []
        if self.vendor == "postgresql":
            rows = self._union().order_by("-search_rank", "hit_type", "id")[start:stop]
            return [Hit(kind, pk, rank) for kind, pk, rank in rows]
        sql, params = self._sqlite_select(f"rowid, -bm25(events_search, {', '.join(map(str, WEIGHTS))}) AS rank")
        rows = self._fetch(
            f"{sql} ORDER BY rank DESC, rowid & 15, rowid LIMIT %s OFFSET %s", [*params, stop - start, start]
        )
        types = {s.code: name for name, s in SEARCHED.items()}
        return [Hit(types[rowid & 15], rowid >> 4, rank) for rowid, rank in rows]

    def _union(self):
        matched = _tsquery(self.query)
        parts = []
        for name in self.types:
            searched = SEARCHED[name]
            document = _document(searched)
            parts.append(
                searched.model.objects.filter(_Matches(document, matched))
                .annotate(hit_type=Value(name, TextField()), search_rank=_TsRank(document, matched))
                .values_list("hit_type", "id", "search_rank")
                .order_by()
            )
        return parts[0].union(*parts[1:], all=True)

    def _sqlite_select(self, columns: str) -> tuple[str, list]:
        codes = [SEARCHED[name].code for name in self.types]
        sql = (
            f"SELECT {columns} FROM events_search WHERE events_search MATCH %s "  # noqa: S608 (no client text in it)
            f"AND (rowid & 15) IN ({', '.join(['%s'] * len(codes))})"
        )
        return sql, [self.query.fts5(), *codes]

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


# --- what a hit shows -----------------------------------------------------------------------------------------

FRAGMENT_WORDS = 16
CONTEXT_WORDS = 3  # words shown before the first match


def fold(word: str) -> str:
    """A word as both databases compare it: accents dropped, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


def fragment(texts: list[str], query: Query) -> str:
    """A short passage of the first text that holds the most of the query's words, as HTML: the text escaped, each
    matched word in a <mark> element, no other markup. Cut in Python with the query's word rules, so it is the same
    on both databases."""
    best = max(((len(_matches(text, query)), -i, text) for i, text in enumerate(texts) if text), default=None)
    if best is None:
        return ""
    text = best[2]
    words = list(WORD.finditer(text))
    matched = _matches(text, query)
    first = min(matched, default=0)
    start = max(0, first - CONTEXT_WORDS)
    shown = words[start : start + FRAGMENT_WORDS]
    out, at = [], shown[0].start() if start else 0
    for index, word in enumerate(shown, start):
        between = html.escape(text[at : word.start()], quote=False)
        if index in matched and index - 1 in matched and index > start:
            out[-1] = out[-1].removesuffix("</mark>") + between  # one mark over a matched phrase (`Crew-11`)
        else:
            out.append(between + ("<mark>" if index in matched else ""))
        out.append(html.escape(word.group(), quote=False) + ("</mark>" if index in matched else ""))
        at = word.end()
    cut = start + FRAGMENT_WORDS < len(words)
    rest = " …" if cut else html.escape(text[at:], quote=False)
    return ("… " if start else "") + "".join(out) + rest


def _matches(text: str, query: Query) -> set[int]:
    """Positions of the words of `text` that a required phrase of `query` matches."""
    words = [fold(w) for w in WORD.findall(text)]
    matched = set()
    for phrase in (p for group in query.required for p in group):
        wanted = [fold(w) for w in phrase.words]
        for at in range(len(words) - len(wanted) + 1):
            here = words[at : at + len(wanted)]
            if here[:-1] == wanted[:-1] and (
                here[-1].startswith(wanted[-1]) if phrase.prefix else here[-1] == wanted[-1]
            ):
                matched.update(range(at, at + len(wanted)))
    return matched


def hits_shown(hits: list[Hit], query: Query) -> list[dict]:
    """Each hit with its record (its related rows read for its name), its name and a fragment of its text."""
    records = {}
    for name in {hit.type for hit in hits}:
        searched = SEARCHED[name]
        rows = searched.model.objects.filter(pk__in=[h.pk for h in hits if h.type == name])
        records.update({(name, row.pk): row for row in rows.select_related(*searched.related)})
    shown = []
    for hit in hits:
        record = records.get((hit.type, hit.pk))
        if record is None:
            continue  # deleted since its page was counted
        texts = [getattr(record, column) for part in SEARCHED[hit.type].parts for column in part]
        shown.append(
            {
                "type": hit.type,
                "record": record,
                "title": SEARCHED[hit.type].shown(record),
                "fragment": fragment(texts, query),
                "rank": hit.rank,
            }
        )
    return shown
