"""Progress bars for the long management commands: drawn when their stream is a terminal, nothing otherwise.

Services take a `progress` factory, called like tqdm (an iterable to wrap, or a total to `update()` towards;
`desc` and `unit`), and default to `no_progress`. Commands pass `terminal_progress(self.stderr)`, so stdout
keeps only the command's report, which scripts read.
"""

from collections.abc import Callable
from functools import partial

from tqdm import tqdm

Progress = Callable[..., tqdm]

# A disabled bar passes items through and ignores updates: services need no branch for "no progress".
no_progress: Progress = partial(tqdm, disable=True)


def terminal_progress(stream) -> Progress:
    """Bars on `stream` (a command's stderr) if it is a terminal; tqdm's `disable=None` makes that test."""
    # Django's OutputWrapper ends every write with a newline, which would print each \r redraw on a line of
    # its own: the bar writes to the stream it wraps.
    out = getattr(stream, "_out", stream)
    # leave=False: a finished bar is wiped, so the command's report follows the last one without clutter.
    return partial(tqdm, file=out, disable=None, leave=False, dynamic_ncols=True)
