"""The long commands draw progress bars on stderr when it is a terminal and write nothing there otherwise; stdout
carries only their report either way."""

import io
import shutil

import pytest
from django.core.management import call_command

from events.services.seed import seed_fixture_paths

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a console's does."""

    def isatty(self):
        return True


@pytest.fixture(params=[False, True], ids=["pipe", "terminal"])
def terminal(request):
    return request.param


def run(terminal, command, *args):
    """(stdout, stderr) of the command, with stderr a terminal or not."""
    out, err = io.StringIO(), Terminal() if terminal else io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_progress(terminal, out, err, *descriptions):
    """A terminal gets bars (tqdm redraws them after a carriage return, a percentage before the bar) naming what
    they count; a pipe gets nothing. stdout never holds a bar."""
    assert "\r" not in out
    assert "%|" not in out
    if not terminal:
        assert err == ""
        return
    assert "\r" in err
    assert "%|" in err
    for description in descriptions:
        assert description in err


# The commands that need an empty database; those that read the seed are in test_progress_on_the_seed.py.


def test_import_dataset(terminal, seed_export):
    out, err = run(terminal, "import_dataset", seed_export[0])
    assert "Imported" in out
    assert_progress(terminal, out, err, "dataset.json", "records", "events.Claim", "rows", "events.Claim history")


@pytest.fixture(scope="module")
def small_seed(tmp_path_factory):
    """The seed's sources and reference records without its tenures, events and claims: a load in a fraction of
    the time, with records enough to draw a bar."""
    directory = tmp_path_factory.mktemp("small_seed")
    for path in seed_fixture_paths():
        if path.stem in ("sources", "reference"):
            shutil.copy(path, directory / path.name)
        else:
            (directory / path.name).write_text("[]")
    return directory


def test_load_seed_data(terminal, small_seed):
    out, err = run(terminal, "load_seed_data", "--fixture-dir", small_seed)
    assert "Loaded" in out
    assert_progress(terminal, out, err, "reference.json", "records")
