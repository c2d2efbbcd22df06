"""The query page of `kg serve` in Chromium: its first example, IRIs with prefixes, wrapping.

The page is served by a real endpoint over the seed data (Oxigraph, and rdflib's memory
store); Playwright drives Debian's /usr/bin/chromium with every outside request blocked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest

import kg
from kg.serve import start
from kg.serve.web import FIRST_EXAMPLE, page_prefixes
from kg.sparql import rows, run

from .conftest import DATA
from .test_html_browser import ARTIFACTS, browser  # noqa: F401  (the session's Chromium)

WARNINGS = {"us-warns-russia-crocus", "russia-warns-us-tsarnaev", "us-warns-iran-kerman",
            "us-warns-venezuela-chavez-plot", "cia-warns-russia-st-petersburg"}


@functools.cache
def _memory():
    """The seed data in rdflib's memory store (``--store memory``)."""
    return kg.load(DATA, store="memory", shapes=False).dataset


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def served(request, dataset) -> Iterator[str]:
    data = dataset if request.param == "oxigraph" else _memory()
    with start(data, "127.0.0.1", 0, workers=1) as running:
        yield running.base_url


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_the_first_example_gives_each_warning_once(store, dataset):
    data = dataset if store == "oxigraph" else _memory()
    found = rows(run(data, FIRST_EXAMPLE["query"]))
    names = [str(r["warning"]).rsplit("/", 1)[-1] for r in found]
    assert sorted(names) == sorted(WARNINGS)  # each once: no row repeats a warning
    crocus = found[names.index("us-warns-russia-crocus")]
    assert str(crocus["date"]) == "2024-03-07" and "Crocus City Hall attack" in str(
        crocus["concerning"])
    assert int(crocus["sources"]) >= 2


def _open(browser, url: str, width: int = 1400, height: int = 900):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                  else (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(url + "/")
    return context, page, blocked


def test_the_query_page_runs_its_first_example_with_prefixed_iris(browser, served):  # noqa: F811
    context, page, blocked = _open(browser, served)
    assert page.locator("#example option").first.inner_text().startswith("who-warned-whom")
    page.locator("#run").click()
    page.wait_for_selector("#results table")
    rows = page.locator("#results tbody tr")
    assert rows.count() == len(WARNINGS)
    first_column = rows.locator("td:first-child").all_inner_texts()
    assert sorted(first_column) == sorted(f"event:{w}" for w in WARNINGS)
    assert page.locator("#results td .iri").first.get_attribute("title").startswith(
        page_prefixes()["event"])
    # Every cell wraps between words: no column narrower than its longest word.
    narrow = page.evaluate("""() => Array.from(document.querySelectorAll('#results td'))
        .filter(td => td.textContent.trim())
        .filter(td => {
            const words = td.textContent.split(/\\s+/);
            const probe = document.createElement('span');
            probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
            td.appendChild(probe);
            const widest = Math.max(...words.map(w => { probe.textContent = w;
                                                        return probe.offsetWidth; }));
            probe.remove();
            return td.clientWidth - 10 < widest;
        }).map(td => td.textContent)""")
    assert narrow == []
    for width, height in ((1400, 900), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"query-page-{width}x{height}.png"), full_page=True)
    context.close()
    assert blocked == []


def test_iris_shorten_with_the_querys_own_prefixes(browser, served):  # noqa: F811
    context, page, _ = _open(browser, served)
    page.fill("#query", "PREFIX ex: <https://w3id.org/duty-to-warn/id/entity/>\n"
                        "SELECT ?actor ?other WHERE { VALUES (?actor ?other) { "
                        "(ex:russia <urn:x:not/a%20prefix>) } }")
    page.locator("#run").click()
    page.wait_for_selector("#results table")
    cells = page.locator("#results tbody td").all_inner_texts()
    context.close()
    assert cells == ["ex:russia", "urn:x:not/a%20prefix"]
