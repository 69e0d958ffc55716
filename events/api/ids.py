"""Records addressed by id rather than slug (tenures and claims): what such an id looks like in a URL, a
query parameter or a request body."""

import re

# Ids fit a 64-bit integer; a longer string of digits is simply not found, and never reaches the database.
ID_PATTERN = r"[0-9]{1,18}"


def is_id(value: str) -> bool:
    """ASCII digits only (str.isdigit() also accepts '²', which int() refuses), few enough for an id."""
    return bool(re.fullmatch(ID_PATTERN, value))
