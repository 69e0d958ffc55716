"""Build the benchmark's request paths from the data: real slugs, dates and pages, varied by a seeded generator.

Each endpoint gets up to BENCH_URLS distinct paths (default 200). Meeting-list and timeline windows are cut
from the sorted dates of matching records, so most of them hold a full page of 50.
"""

import math
import random
from urllib.parse import urlencode

PAGE = 50
ENDPOINTS = ("meetings", "meeting_detail", "timeline", "heads", "conflicts")
MEETINGS_WITH_AGENCY = """
    SELECT m.date_earliest FROM events_meeting m
    WHERE m.status = %s AND m.date_earliest IS NOT NULL AND m.date_latest IS NOT NULL
      AND EXISTS (SELECT 1 FROM events_participant p JOIN events_agency a ON a.id = p.agency_id
                  WHERE p.meeting_id = m.id AND a.slug = %s)
    ORDER BY 1"""
MEETINGS = """
    SELECT date_earliest FROM events_meeting
    WHERE status = %s AND date_earliest IS NOT NULL AND date_latest IS NOT NULL ORDER BY 1"""
TIMELINE = """
    SELECT date_earliest FROM events_meeting WHERE date_earliest IS NOT NULL AND date_latest IS NOT NULL
    UNION ALL
    SELECT date_earliest FROM events_launch WHERE date_earliest IS NOT NULL AND date_latest IS NOT NULL
    ORDER BY 1"""
TIMELINE_AGENCY = """
    SELECT m.date_earliest FROM events_meeting m
    WHERE m.date_earliest IS NOT NULL AND m.date_latest IS NOT NULL
      AND EXISTS (SELECT 1 FROM events_participant p JOIN events_agency a ON a.id = p.agency_id
                  WHERE p.meeting_id = m.id AND a.slug = %s)
    ORDER BY 1"""
BUSY_AGENCIES = """
    SELECT a.slug FROM events_participant p JOIN events_agency a ON a.id = p.agency_id
    GROUP BY a.slug ORDER BY count(*) DESC, a.slug LIMIT 12"""
HEAD_SPANS = """
    SELECT a.slug, min(coalesce(t.start_earliest, t.start_latest)),
           max(coalesce(t.end_latest, t.end_earliest, current_date))
    FROM events_tenure t JOIN events_agency a ON a.id = t.agency_id
    WHERE t.is_head AND coalesce(t.start_earliest, t.start_latest) IS NOT NULL
    GROUP BY a.slug ORDER BY a.slug"""


def column(cursor, sql, params=()):
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def window(rng, dates):
    """A [first, last] date window holding at least PAGE + 10 of `dates` when there are that many."""
    start = rng.randrange(max(1, len(dates) - PAGE - 10))
    end = min(len(dates) - 1, start + rng.randint(PAGE + 10, 6 * PAGE))
    return dates[start].isoformat(), dates[end].isoformat()


def distinct(make, count, attempts=20):
    """Call make() until `count` distinct results, or until it keeps repeating itself."""
    found = {}
    for _ in range(count * attempts):
        item = make()
        if item is not None:
            found.setdefault(str(item), item)
        if len(found) >= count:
            break
    return list(found.values())


def meeting_filters(cursor, rng, count):
    """Parameter dicts for the meetings list: status, a date window, and (two times in three) an agency."""
    statuses = column(cursor, "SELECT status FROM events_meeting GROUP BY status ORDER BY count(*) DESC")
    combos = [(s, None) for s in statuses] + [(s, a) for s in statuses for a in column(cursor, BUSY_AGENCIES)]
    dates = {}
    for status, agency in combos:
        rows = column(cursor, MEETINGS_WITH_AGENCY, (status, agency)) if agency else column(cursor, MEETINGS, (status,))
        if rows:
            dates[status, agency] = rows
    full = [c for c in dates if len(dates[c]) > PAGE + 10]
    pool = full or list(dates)
    with_agency = [c for c in pool if c[1]] or pool
    without = [c for c in pool if not c[1]] or pool

    def make():
        status, agency = rng.choice(with_agency if rng.random() < 2 / 3 else without)
        after, before = window(rng, dates[status, agency])
        params = {"status": status, "date_after": after, "date_before": before}
        return {**params, "agency": agency} if agency else params

    return distinct(make, count)


def app_meetings(filters):
    return [f"/api/v1/meetings/?{urlencode({**f, 'page_size': PAGE})}" for f in filters]


def datasette_meetings(filters, database="spacediplo"):
    """The same filters in Datasette's table API, sorted by date_earliest like the app."""
    paths = []
    for f in filters:
        params = {
            "_nosuggest": 1,
            "status__exact": f["status"],
            "date_latest__gte": f["date_after"],
            "date_earliest__lte": f["date_before"],
        }
        if "agency" in f:
            # Slugs come from the database and hold only [-a-zA-Z0-9_], so quoting them inline is safe.
            params["_where"] = (
                "id in (select meeting_id from events_participant where agency_id = "  # noqa: S608
                f"(select id from events_agency where slug = '{f['agency']}'))"
            )
        params |= {"_size": PAGE, "_sort": "date_earliest"}
        paths.append(f"/{database}/events_meeting.json?{urlencode(params)}")
    return paths


def meeting_details(cursor, seed, count):
    slugs = column(cursor, "SELECT slug FROM events_meeting ORDER BY md5(slug || %s) LIMIT %s", (str(seed), count))
    return [f"/api/v1/meetings/{slug}/" for slug in slugs]


def timelines(cursor, rng, count):
    everything = column(cursor, TIMELINE)
    by_agency = {a: d for a in column(cursor, BUSY_AGENCIES) if len(d := column(cursor, TIMELINE_AGENCY, (a,)))}
    if not everything:
        return []

    def make():
        agency = rng.choice(list(by_agency)) if by_agency and rng.random() < 1 / 4 else None
        after, before = window(rng, by_agency[agency] if agency else everything)
        params = {"date_after": after, "date_before": before} | ({"agency": agency} if agency else {})
        return f"/api/v1/timeline/?{urlencode({**params, 'page_size': PAGE})}"

    return distinct(make, count)


def heads(cursor, rng, count):
    cursor.execute(HEAD_SPANS)
    spans = cursor.fetchall()
    if not spans:
        return []

    def make():
        slug, first, last = rng.choice(spans)
        day = first.fromordinal(rng.randint(first.toordinal(), max(first, last).toordinal()))
        return f"/api/v1/agencies/{slug}/heads/?on={day.isoformat()}"

    return distinct(make, count)


def conflicts(cursor, rng, count):
    """Pages of /conflicts/ under several subject_type/field filters; page counts come from the app's selector."""
    from events.selectors import conflict_keys

    cursor.execute("SELECT DISTINCT subject_type, field FROM events_claim ORDER BY 1, 2")
    pairs = cursor.fetchall()
    filters = [{}] + [{"subject_type": s} for s in sorted({s for s, _ in pairs})]
    filters += [{"subject_type": s, "field": f} for s, f in pairs]
    filters += [{"field": f} for f in sorted({f for _, f in pairs})]
    pages = {}
    for f in filters:
        if n := math.ceil(conflict_keys(**f).count() / PAGE):
            pages[urlencode(f)] = n

    def make():
        query = rng.choice(list(pages))
        params = f"page={rng.randint(1, pages[query])}&page_size={PAGE}"
        return f"/api/v1/conflicts/?{query + '&' if query else ''}{params}"

    return distinct(make, count) if pages else []


def build(cursor, seed, count):
    """{endpoint: [path, ...]} for the app, plus `datasette_meetings` for Datasette."""
    rng = random.Random(seed)  # noqa: S311 - reproducible choices, not secrets
    filters = meeting_filters(cursor, rng, count)
    return {
        "meetings": app_meetings(filters),
        "meeting_detail": meeting_details(cursor, seed, count),
        "timeline": timelines(cursor, rng, count),
        "heads": heads(cursor, rng, count),
        "conflicts": conflicts(cursor, rng, count),
        "datasette_meetings": datasette_meetings(filters),
    }
