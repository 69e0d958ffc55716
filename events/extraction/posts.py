"""placeholder"""


def run(context) -> None:
    return None
