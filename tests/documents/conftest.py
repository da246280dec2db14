import contextlib

import pytest

from tests.files.conftest import media_dir, online_dossier  # noqa: F401  (shared fixtures)


@pytest.fixture
def run_worker():
    """Run the background tasks due now, one after the other, as ``motcua worker`` does."""
    from motcua.server.worker import run_due_tasks

    return lambda: run_due_tasks(schedule=False)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …``: what the block enqueues on commit is enqueued at its end."""

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block
