"""Ranked search (events.search): which records match and in which order, the same on SQLite and PostgreSQL.

A few records with made-up words are added to the seed once for the module, so that each ranking below has one
right answer whatever the database: a name above a summary, a short name above a long one, a phrase against its
words, exclusions, case, accents and prefixes.
"""

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from events.api import filters
from events.models import Agency, Claim, Launch, Meeting, Person, Place, Source, Tenure, Topic
from events.search import SEARCHED, Hits, QueryError, hits_shown, parse_query, ranked
from tests.factories import MeetingFactory, PersonFactory, TopicFactory

FILTER_SETS = {
    Agency: filters.AgencyFilter,
    Claim: filters.ClaimFilter,
    Launch: filters.LaunchFilter,
    Meeting: filters.MeetingFilter,
    Person: filters.PersonFilter,
    Place: filters.PlaceFilter,
    Source: filters.SourceFilter,
    Tenure: filters.TenureFilter,
    Topic: filters.TopicFilter,
}


@pytest.fixture(scope="module")
def _corpus(_seed_module, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        MeetingFactory(slug="zephyr", title="Zephyr", summary="Delegates met.")
        MeetingFactory(slug="long-title", title="Notes from the long zephyr station meeting in the far north")
        MeetingFactory(slug="in-summary", title="Quarterly review", summary="The zephyr accord came up: zephyr.")
        MeetingFactory(slug="accord-words", title="Accord reached on the zephyr station", summary="")
        PersonFactory(slug="chretien", name="Jean-Loup Chrétien", native_name="Жан-Лу Кретьен")
        PersonFactory(slug="zephyr-person", name="Zephyr Quill")
        TopicFactory(slug="markup", name="Markup", description="Zephyr text with <mark>tags</mark> & <b>bold</b>.")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def corpus(_corpus, seeded):
    return seeded


def keys(model, q, **filters_given):
    """The slugs (ids for tenures and claims) the list's FilterSet gives for `q`, in its order."""
    filter_set_class = FILTER_SETS[model]
    data = QueryDict(mutable=True)
    data.update({"q": q, **filters_given})
    filter_set = filter_set_class(data, queryset=model.objects.all())
    assert filter_set.is_valid(), filter_set.errors
    field = "pk" if model in (Tenure, Claim) else "slug"
    return list(filter_set.qs.values_list(field, flat=True))


# ---------------------------------------------------------------- rankings


def test_a_name_ranks_above_a_longer_name_and_both_above_a_summary(corpus):
    assert keys(Meeting, "zephyr") == ["zephyr", "accord-words", "long-title", "in-summary"]


def test_words_match_anywhere_and_a_phrase_only_as_written(corpus):
    assert set(keys(Meeting, "zephyr accord")) == {"in-summary", "accord-words"}
    assert keys(Meeting, '"zephyr accord"') == ["in-summary"]


def test_an_excluded_word_or_phrase_leaves_out_what_holds_it(corpus):
    assert keys(Meeting, "zephyr -station") == ["zephyr", "in-summary"]
    assert keys(Meeting, 'zephyr -"zephyr station"') == ["zephyr", "in-summary"]
    assert keys(Meeting, "-zephyr") == []  # nothing asked for: nothing found


def test_or_joins_alternatives(corpus):
    assert keys(Meeting, "delegates OR quarterly") == ["in-summary", "zephyr"]  # a title above a summary
    assert keys(Meeting, "zephyr north OR reached") == ["accord-words", "long-title"]


def test_case_and_accents_do_not_matter(corpus):
    for q in ("chretien", "CHRÉTIEN", "Chrétien", "jean-loup", "кретьен", "КРЕТЬЕН"):
        assert keys(Person, q) == ["chretien"], q


def test_a_prefix_matches_the_words_it_begins(corpus):
    assert keys(Meeting, "zeph*") == keys(Meeting, "zephyr")
    assert keys(Meeting, "z*") == []  # too short to be a prefix: the word `z`


def test_a_word_of_several_parts_is_a_phrase(corpus):
    assert keys(Launch, "MS-28") == ["soyuz-ms-28"]
    assert keys(Launch, "soyuz -ms-29") == ["soyuz-ms-28", "soyuz-ms-10"]  # soyuz in each name, MS-29 left out
    assert keys(Launch, '"crew 11"') == ["crew-11"]


def test_seed_rankings(corpus):
    assert keys(Agency, "roscosmos") == ["roscosmos"]
    assert keys(Meeting, "baikonur") == [
        "nasa-roscosmos-2018-10",  # in its title
        "isaacman-soyuz-ms-29-launch-visit",  # in its summary, the shorter of the two
        "isaacman-news-conference-2026-02-13",
    ]
    assert keys(Meeting, "isaacman bakanov")[0] == "nasa-roscosmos-isaacman-bakanov-2026"  # both in the title
    assert keys(Source, "vienna") == ["004_404598c61fc80e23"]
    assert keys(Tenure, "acting administrator")
    assert keys(Claim, "inferred duffy")


def test_ordering_asked_for_wins_over_rank(corpus, client):
    ranked_titles = [m["title"] for m in client.get("/api/v1/meetings/?q=zephyr").json()["results"]]
    by_title = [m["title"] for m in client.get("/api/v1/meetings/?q=zephyr&ordering=title").json()["results"]]
    assert ranked_titles[0] == "Zephyr"
    assert by_title == sorted(ranked_titles)
    assert by_title != ranked_titles


def test_other_filters_narrow_a_search(corpus):
    assert keys(Meeting, "zephyr", status="planned") == []
    assert keys(Meeting, "zephyr", status="held") == keys(Meeting, "zephyr")
    assert keys(Person, "anna", agency="roscosmos") == ["anna-kikina"]


# ---------------------------------------------------------------- across resources


def test_search_across_resources_ranks_names_first(corpus):
    hits = Hits(parse_query("zephyr"))
    found = [(h.type, h.pk) for h in hits[0 : hits.count()]]
    meeting = {slug: pk for slug, pk in Meeting.objects.values_list("slug", "pk")}
    by_name = {("meeting", meeting["zephyr"]), ("person", Person.objects.get(slug="zephyr-person").pk)}
    assert set(found[:2]) == by_name  # the two shortest names
    assert found[2:4] == [("meeting", meeting["accord-words"]), ("meeting", meeting["long-title"])]
    assert set(found[4:]) == {("meeting", meeting["in-summary"]), ("topic", Topic.objects.get(slug="markup").pk)}


def test_search_across_chosen_types(corpus):
    hits = Hits(parse_query("zephyr"), types=["person", "topic"])
    assert {h.type for h in hits[0:50]} == {"person", "topic"}
    assert hits.count() == 2


def test_a_hit_shows_its_name_and_a_fragment_with_the_words_marked(corpus):
    query = parse_query('"zephyr accord"')
    (shown,) = hits_shown(Hits(query)[0:1], query)
    assert shown["title"] == "Quarterly review"
    assert shown["fragment"] == "The <mark>zephyr accord</mark> came up: zephyr."
    query = parse_query("acting")
    (shown,) = hits_shown(Hits(query, types=["tenure"])[0:1], query)
    assert shown["title"] == "Sean Duffy – Acting Administrator, National Aeronautics and Space Administration"
    assert shown["fragment"] == "<mark>Acting</mark> Administrator"


def test_a_fragment_escapes_the_records_own_markup(corpus):
    query = parse_query("tags")
    (shown,) = hits_shown(Hits(query, types=["topic"])[0:1], query)
    assert shown["fragment"] == (
        "… text with &lt;mark&gt;<mark>tags</mark>&lt;/mark&gt; &amp; &lt;b&gt;bold&lt;/b&gt;."
    )


def test_a_long_text_is_cut_around_its_first_match(corpus):
    words = " ".join(f"w{i}" for i in range(40))
    topic = TopicFactory(name="Long", description=f"{words} zephyr {words}")
    query = parse_query("zephyr")
    (shown,) = [s for s in hits_shown(Hits(query, types=["topic"])[0:10], query) if s["record"] == topic]
    assert shown["fragment"] == "… w37 w38 w39 <mark>zephyr</mark> w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 …"


# ---------------------------------------------------------------- the index follows the rows


@pytest.mark.parametrize(
    ("name", "column"), [(name, column) for name, s in SEARCHED.items() for part in s.parts for column in part]
)
def test_every_searched_column_is_indexed_and_follows_its_writes(corpus, name, column):
    model = SEARCHED[name].model
    record = model.objects.exclude(**{column: ""}).order_by("pk").first() or model.objects.order_by("pk").first()
    model.objects.filter(pk=record.pk).update(**{column: "Quokkaword of ours"})
    assert [r.pk for r in ranked(model.objects.all(), parse_query("quokkaword"))] == [record.pk]
    model.objects.filter(pk=record.pk).update(**{column: "Something else"})
    assert not ranked(model.objects.all(), parse_query("quokkaword")).exists()


def test_a_deleted_record_leaves_the_index(corpus):
    topic = TopicFactory(name="Ephemeral wombat")
    assert Hits(parse_query("wombat")).count() == 1
    topic.delete()
    assert Hits(parse_query("wombat")).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN indexes")
@pytest.mark.parametrize("name", sorted(SEARCHED))
def test_postgresql_reads_each_search_through_its_index(corpus, name):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = ranked(SEARCHED[name].model.objects.all(), parse_query("zephyr")).explain()
    assert f"{SEARCHED[name].model._meta.db_table}_search_idx" in plan


# ---------------------------------------------------------------- the syntax


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR(",
        "-",
        "AND",
        "OR",
        "NOT",
        '"unbalanced',
        "a OR",
        "OR b",
        "(",
        ")",
        ":",
        "^",
        "col:word",
        "'",
        "\\",
        '""',
        '-"',
        "%",
        "zephyr NEAR/2 accord",
        "{a b}: c",
        "a'b",
        "x:* | !y",
        "-a -b",
        "🚀",
        "\x7f",
    ],
)
def test_no_text_makes_a_database_error(corpus, text):
    query = parse_query(text)
    for model in (Meeting, Claim):
        list(ranked(model.objects.all(), query))
    hits = Hits(query)
    hits_shown(hits[0 : min(hits.count(), 5)], query)


def test_limits_are_checked_before_any_work():
    parse_query("x" * 200)
    with pytest.raises(QueryError, match="200 characters"):
        parse_query("x" * 201)
    parse_query(" ".join(["w"] * 20))
    with pytest.raises(QueryError, match="20 words"):
        parse_query(" ".join(["w"] * 21))
    with pytest.raises(QueryError, match="20 words"):
        parse_query("-" + "-".join(["w"] * 21))  # a word of 21 parts is 21 words


def test_the_parser_reads_web_search_syntax():
    query = parse_query('Zephyr "crew 11" OR station -north -"far away" ms-28 pre* OR')
    assert [[p.words for p in group] for group in query.required] == [
        [("Zephyr",)],
        [("crew", "11"), ("station",)],
        [("ms", "28")],
        [("pre",)],
    ]
    assert query.required[3][0].prefix
    assert [p.words for p in query.excluded] == [("north",), ("far", "away")]
