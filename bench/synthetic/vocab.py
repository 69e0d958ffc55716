"""Word pools and fuzzy dates for synthetic records: plausible, clearly invented, reproducible."""

import datetime as dt
import random

SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vo", "sa", "dri", "pel", "un", "ar", "bex", "cor", "fin")
SYLLABLES += ("gal", "hur", "is", "jo", "kel", "mor", "nax", "ost", "pra", "qui", "ru", "sev", "tam", "ul")
TITLES = ("Administrator", "Director General", "Chair", "President", "Chief Executive")
DEPUTY_TITLES = ("Deputy Administrator", "Associate Director", "Chief of Staff", "Director of Operations")
VEHICLES = ("Aster-2", "Boreal", "Corvid Heavy", "Dune-5", "Ember", "Falka-1", "Gyre", "Halcyon-3")
SPACECRAFT = ("Kestrel", "Lumen", "Meridian", "Nimbus", "Orrery", "Petrel", "Quasar", "Rill")
ROLES = ("head of delegation", "adviser", "programme manager", "interpreter", "deputy head")
CREW_ROLES = ("commander", "pilot", "mission specialist", "flight engineer", "payload specialist")
TOPIC_WORDS = ("station", "lunar", "deorbit", "cargo", "crew", "navigation", "debris", "science", "tracking", "power")
CITY_KINDS = ("city",) * 3 + ("spaceport", "facility")
COUNTRIES = ("AR", "AU", "BR", "CA", "CN", "DE", "ES", "FR", "GB", "IN", "IT", "JP", "KR", "MX", "NG", "NO", "US", "ZA")

FIRST_DAY = dt.date(1961, 1, 1)
LAST_DAY = dt.date(2029, 12, 31)
# A fixed "now" keeps the output the same whatever day it is generated on.
CUTOFF = dt.date(2026, 1, 1)


def word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def person_name(rng: random.Random) -> str:
    return f"{word(rng, 2)} {word(rng, rng.choice((2, 3)))}"


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def fuzzy(rng: random.Random, day: dt.date) -> tuple[str, dt.date, dt.date, str]:
    """EDTF text, earliest and latest day, and a phrase for a date known to the day, month or a span.

    Bounds are computed here rather than by the parser, which is far too slow for 100,000 rows;
    tests check them against the parser.
    """
    roll = rng.random()
    if roll < 0.7:
        return day.isoformat(), day, day, day.strftime("%-d %B %Y")
    if roll < 0.92:
        first = day.replace(day=1)
        return day.strftime("%Y-%m"), first, month_end(day), day.strftime("%B %Y")
    last = day + dt.timedelta(days=rng.randint(1, 10))
    return f"{day.isoformat()}/{last.isoformat()}", day, last, f"between {day:%-d %B} and {last:%-d %B %Y}"
