"""A serving process loads every view, then sets what it loaded aside from the cyclic
garbage collector (common.startup.settle, called by metbudget/wsgi.py), so a full
collection walks only what requests made since, not Django, plotly and every view."""

import gc
import importlib
import sys

import pytest


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def tracked(obj) -> bool:
    """Whether the collector's generations hold `obj` (frozen objects are in none)."""
    return any(o is obj for o in gc.get_objects())


def test_the_served_application_sets_every_view_aside(unfrozen):
    sys.modules.pop("metbudget.wsgi", None)
    wsgi = importlib.import_module("metbudget.wsgi")

    from reports.views import home  # loaded by reading the URLconf, not by this test

    assert gc.get_freeze_count() > 10_000
    assert not tracked(home)
    assert not tracked(wsgi.application)
    # What is made afterwards is collected as usual.
    made = [[]]
    assert tracked(made)


def test_without_settling_the_views_are_walked_by_every_full_collection(unfrozen):
    from reports.views import home

    assert gc.get_freeze_count() == 0
    assert tracked(home)
