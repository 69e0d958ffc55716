"""Places: their names are found by the names rule; kind, country and parent are not read yet (see
docs/extraction.md, "What holds the rest back")."""


def run(context) -> None:
    return None
