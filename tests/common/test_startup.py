"""A serving process loads every view, then sets what it loaded aside from the cyclic
garbage collector (common.startup.settle, called by metbudget/wsgi.py), so a full
collection walks only what requests made since, not Django, plotly and every view.

Checked in a new interpreter: in this one, the tests have loaded the views already."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import metbudget.wsgi
loaded = "reports.views" in sys.modules
from reports.views import home
made = [[]]
print(json.dumps({
    "views_loaded_by_wsgi": loaded,
    "view_tracked": any(o is home for o in gc.get_objects()),
    "new_object_tracked": any(o is made for o in gc.get_objects()),
    "frozen": gc.get_freeze_count(),
}))
"""


def test_the_served_application_loads_every_view_and_sets_it_aside():
    answer = subprocess.run(  # noqa: S603 - this interpreter, with the probe above
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = json.loads(answer.stdout.strip().splitlines()[-1])
    assert found["views_loaded_by_wsgi"] is True
    assert found["view_tracked"] is False
    assert found["new_object_tracked"] is True  # what requests make is collected as usual
    assert found["frozen"] > 0
