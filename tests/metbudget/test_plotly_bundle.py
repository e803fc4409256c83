"""The vendored plotly.js partial bundle: its stylesheet copy, its checksum, and that it
draws every trace type the pages use."""

import hashlib
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from tests.conftest import client_for
from tests.demo_pages import demo_samples, seed_demo
from tests.metbudget.permission_matrix import pages

BUNDLE = settings.BASE_DIR / "static/vendor/plotly-finance.min.js"
README = settings.BASE_DIR / "static/vendor/README.md"
SCRIPTS = settings.BASE_DIR / "templates/includes/chart_scripts.html"

# static/css/plotly.css is plotly.js's own stylesheet, copied so that style-src stays 'self'.
# These fail when the bundle is replaced by one whose rules differ, so an update cannot
# silently leave the charts unstyled: regenerate the CSS from the new bundle.
PLOTLY_RULES = re.compile(r'\{("X,X div":.*?)\};for\(', re.S)
JS_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
# One `selector: "declarations"` entry; minified keys that are plain names lose their quotes.
RULE = re.compile(rf"({JS_STRING}|[A-Za-z_$][\w$]*):({JS_STRING})")
TRACE_MODULE = re.compile(r'moduleType:"trace",name:"([a-z0-9]+)"')
CHART_DATA = re.compile(
    r'<script id="chart-data-[^"]+" type="application/json">(.*?)</script>', re.S
)


def plotly_js() -> str:
    return BUNDLE.read_text(encoding="utf-8")


def bundle_trace_types() -> set[str]:
    return set(TRACE_MODULE.findall(plotly_js()))


def test_plotly_css_has_exactly_the_rules_the_bundle_would_inject():
    found = PLOTLY_RULES.search(plotly_js())
    assert found, "the bundle no longer holds its style rules where expected"
    entries = list(RULE.finditer(found.group(1)))
    assert ",".join(e.group(0) for e in entries) == found.group(1)  # every entry parsed
    expected = []
    for entry in entries:
        selector, declarations = entry.group(1).strip("\"'"), entry.group(2)[1:-1]
        # As plotly.js expands them: X is a plot, Y the notifier.
        selector = selector.replace("X", ".js-plotly-plot .plotly")
        selector = selector.replace("Y", ".plotly-notifier")
        expected.append(f"{selector} {{ {declarations} }}")
    css = (settings.BASE_DIR / "static/css/plotly.css").read_text(encoding="utf-8")
    rules = [line for line in css.split("*/", 1)[1].splitlines() if line.strip()]
    assert len(expected) > 60
    assert rules == expected


def test_plotly_css_and_readme_name_the_bundled_version_and_checksum():
    version = re.search(r"plotly\.js \(finance - minified\) v(\d+\.\d+\.\d+)", plotly_js()[:200])
    css = (settings.BASE_DIR / "static/css/plotly.css").read_text(encoding="utf-8")
    assert f"plotly.js {version.group(1)} would otherwise inject" in css
    readme = README.read_text(encoding="utf-8")
    assert f'plotly.js {version.group(1)}, the "finance" partial bundle' in readme
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() in readme


def test_the_bundle_finds_the_linked_stylesheet_and_skips_its_bundled_styles():
    scripts = SCRIPTS.read_text(encoding="utf-8")
    marker = re.search(r'<span hidden id="([0-9a-f]{64})"></span>', scripts).group(1)
    assert f'if(!document.getElementById("{marker}"))' in plotly_js()
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in scripts
    # plotly.js looks for a style element "plotly.js-style-" + "global" marked this way.
    assert 'n.matches(".no-inline-styles")' in plotly_js()


def test_the_bundle_has_the_trace_types_it_is_chosen_for():
    assert {"bar", "scatter", "waterfall"} <= bundle_trace_types()
    assert "heatmap" not in bundle_trace_types()  # the check reads the bundle, not a list


@pytest.fixture
def demo(db, monkeypatch, settings):
    seed_demo(monkeypatch, settings)


def test_every_chart_on_every_page_uses_a_trace_type_the_bundle_draws(demo):
    client = client_for(User.objects.get(username="admin"))
    used: dict[str, set[str]] = {}
    for _, url in pages(samples=demo_samples()):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for data in CHART_DATA.findall(response.content.decode()):
            for trace in json.loads(data).get("data", []):
                used.setdefault(trace.get("type", "scatter"), set()).add(url)
    assert {"bar", "scatter", "waterfall"} <= set(used)  # the walk reached the charts
    missing = {
        kind: sorted(urls) for kind, urls in used.items() if kind not in bundle_trace_types()
    }
    assert missing == {}
