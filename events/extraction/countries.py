"""Country names and adjectives as ISO 3166 codes: what "Russia's space agency" or "in Kazakhstan" point at."""

import re

COUNTRIES = {
    "RU": ("Russia", "Russian", "Russian Federation"),
    "US": ("United States", "U.S.", "US", "USA", "U.S.A.", "America", "American"),
    "CN": ("China", "Chinese"),
    "KZ": ("Kazakhstan", "Kazakh"),
    "AT": ("Austria", "Austrian"),
    "CH": ("Switzerland", "Swiss"),
    "FR": ("France", "French"),
    "DE": ("Germany", "German"),
    "GB": ("United Kingdom", "U.K.", "UK", "Britain", "British"),
    "JP": ("Japan", "Japanese"),
    "IN": ("India", "Indian"),
    "UA": ("Ukraine", "Ukrainian"),
    "CA": ("Canada", "Canadian"),
    "IT": ("Italy", "Italian"),
    "IL": ("Israel", "Israeli"),
    "KR": ("South Korea", "Korean"),
    "BR": ("Brazil", "Brazilian"),
    "AE": ("United Arab Emirates", "UAE", "Emirati"),
}
BY_NAME = {name: code for code, names in COUNTRIES.items() for name in names}
PATTERN = re.compile(
    r"(?<![\w.])(?:the )?(" + "|".join(re.escape(n) for n in sorted(BY_NAME, key=len, reverse=True)) + r")(?![\w])"
)


def countries_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of each country named in `text`."""
    return [(m.start(1), m.end(1), BY_NAME[m.group(1)]) for m in PATTERN.finditer(text)]
