"""The schemathesis figures in pytest's terminal summary, so they can be quoted from any run
(``pytest tests/api/test_schemathesis.py`` prints them without ``-s``)."""

from __future__ import annotations

import pytest

FIGURES = pytest.StashKey[list]()


@pytest.fixture
def report_figures(request):
    """``report_figures(line)``: one line for the terminal summary's "figures" section."""
    return request.config.stash.setdefault(FIGURES, []).append


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)
