"""The explorer and the query page in a real browser: Debian's headless Chromium, every
outside request blocked.

Playwright drives /usr/bin/chromium (never `playwright install`: that downloads). Each
page is opened from disk and from a local HTTP server that also sends a strict
Content-Security-Policy, so anything fetched, inlined wrongly or evaluated from a
string shows up as a blocked request or a console error. The query page of `kg serve` is
opened from a real endpoint over the seed data, on both stores. Screenshots go to
tests/artifacts/ (gitignored). One module, so that every test shares one browser.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import kg
from kg.build import build_dataset
from kg.html import page
from kg.html.filters import merge_parallel, visible
from kg.html.view import KINDS, build_view
from kg.project import project
from kg.serve import start
from kg.serve.pages import FIRST_EXAMPLE, page_prefixes
from kg.sparql import rows, run
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

from .conftest import DATA
from .test_html import CROCUS, HOSTILE, HOSTILE_ALIAS, make_hostile_corpus, page_data

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).is_file():
        pytest.fail("the browser tests need Debian's chromium at /usr/bin/chromium "
                    "(scripts/test.sh installs it: apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory, dataset) -> Path:
    """The pages, written as files: the real data at both levels, and the hostile corpus."""
    root = tmp_path_factory.mktemp("site")
    (root / "graph.html").write_text(page(dataset), encoding="utf-8")
    (root / "state.html").write_text(page(dataset, level="state"), encoding="utf-8")
    hostile = make_hostile_corpus(tmp_path_factory.mktemp("hostile-data") / "data")
    (root / "hostile.html").write_text(page(kg.load(hostile).dataset), encoding="utf-8")
    (root / "big.html").write_text(page(_big_dataset()), encoding="utf-8")
    return root


@functools.cache
def _big_dataset():
    """A synthetic graph past DETAIL_LIMIT: parallel edges merged, labels on hover."""
    return build_dataset(check_corpus(synthetic_corpus(1500, seed=4)))


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def server(site) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class Opened:
    """A page in a fresh context, with what it tried to fetch and what it complained about."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1600, "height": 950})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.url = url
        self.page.goto(url)
        self.page.wait_for_function("window.kgExplorer && window.kgExplorer.ready",
                                    timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def click_node(self, key: str) -> None:
        """A real mouse click on the node, after bringing it to the middle of the view."""
        point = self.js("""key => {
            const x = kgExplorer, id = x.nodeId(key), net = x.network;
            net.moveTo({position: net.getPositions([id])[id], scale: 1.3, animation: false});
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById("mynetwork").getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""", key)
        self.page.mouse.click(point["x"], point["y"])

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser, site, server):
    pages: list[Opened] = []

    def open_(name: str, how: str = "file") -> Opened:
        url = (site / name).as_uri() if how == "file" else f"{server}/{name}"
        pages.append(Opened(browser, url))
        return pages[-1]

    yield open_
    for item in pages:
        item.close()


@pytest.mark.parametrize("how", ["file", "http"])
def test_the_page_draws_every_node_offline_with_no_errors(opened, site, how):
    view = opened("graph.html", how)
    expected = page_data((site / "graph.html").read_text(encoding="utf-8"))
    assert view.js("kgExplorer.drawnNodeCount()") == len(expected["NODES"])
    assert view.js("kgExplorer.network.body.edgeIndices.length") == len(expected["EDGES"])
    assert view.js("kgExplorer.stable()") is True
    before = view.js("JSON.stringify(kgExplorer.network.getPositions())")
    view.page.wait_for_timeout(300)
    assert view.js("JSON.stringify(kgExplorer.network.getPositions())") == before
    assert view.errors == [] and view.blocked == [] and view.dialogs == []


def test_clicking_a_node_shows_its_details(opened):
    view = opened("graph.html")
    view.click_node("entity/russia")
    panel = view.page.locator("#panel")
    assert panel.locator("h2").inner_text() == "Russia"
    text = panel.inner_text()
    assert "Russian Federation" in text and "Q159" in text
    assert "Central Intelligence Agency" in text  # who warned it, among its connections
    view.page.screenshot(path=str(ARTIFACTS / "explorer-node.png"))
    clicked = view.js("""() => { const net = kgExplorer.network;
        const id = kgExplorer.nodeId('entity/russia');
        return net.canvasToDOM(net.getPositions([id])[id]).x; }""")
    graph = view.page.locator("#mynetwork").bounding_box()
    panel = view.page.locator("#panel-box").bounding_box()
    assert clicked < panel["x"] - graph["x"], "the panel covers what was clicked"
    view.page.keyboard.press("Escape")
    assert view.page.locator("#panel-box").is_hidden()
    assert view.errors == []


def test_a_date_known_only_as_a_bound_reads_before_the_day_its_source_names(opened, site):
    # The page carries the last day such a date allows (d1, what the filters compare) and
    # shows it as its source says it: before the day after.
    data = page_data((site / "graph.html").read_text(encoding="utf-8"))
    bounded = {e["d1"] for e in data["EDGES"] if e.get("d0") == ""}
    assert {"2020-07-07", "2022-02-28"} <= bounded  # before 2020-07-08, before 2022-03-01
    assert not {"2020-07-08", "2022-03-01"} & bounded
    view = opened("graph.html")
    view.click_node("entity/russia")
    text = view.page.locator("#panel").inner_text()
    assert "before 2020-07-08" in text and "before 2020-07-07" not in text
    assert view.errors == []


def test_clicking_a_connection_shows_a_warning_in_its_sources_words(opened):
    view = opened("state.html")
    view.click_node("entity/russia")
    view.page.get_by_role("button", name="→ United States · 2011").first.click()
    text = view.page.locator("#panel").inner_text()
    assert "Reciprocated: these two warned each other" in text
    assert "Contested: its sources' values cannot all be true" in text
    assert "is_duty_to_warn" in text  # the Contested row says which attribute and why
    assert "Boston Marathon bombing" in text and "outreach-2024" in text
    assert "In 2011, Russia’s Federal Security Service warned U.S. officials" in text
    assert view.js(f"kgExplorer.selectEdge('{CROCUS}|entity/united-states>entity/russia|warned')")
    text = view.page.locator("#panel").inner_text()
    for words in ("2024-03-07", "Crocus City Hall attack", "attack happened",
                  "dismissed (Russia)",  # Putin, rolled up to his state
                  "“Duty to warn”: why the United States warned Russia before the Moscow",
                  "Americans had publicly and privately informed President Vladimir Putin"):
        assert words in text
    view.page.screenshot(path=str(ARTIFACTS / "explorer.png"))
    assert view.errors == [] and view.blocked == []


def test_the_search_box_finds_an_actor_by_any_alias(opened):
    view = opened("graph.html")
    box = view.page.locator("#search")
    box.fill("langley")
    assert view.page.locator("#search-results li").first.inner_text().startswith(
        "Central Intelligence Agency")
    box.press("Enter")
    assert view.page.locator("#panel h2").inner_text() == "Central Intelligence Agency"
    assert view.js("kgExplorer.search('Dhozkar')")[0] == "entity/dzhokhar-tsarnaev"
    assert view.js("kgExplorer.network.getSelectedNodes()") == [
        view.js("kgExplorer.nodeId('entity/cia')")]


def _python_visible(dataset, **filters) -> tuple[set[str], set[str]]:
    return visible(build_view(project(dataset)), **filters)


def test_the_kind_filter_hides_what_the_rule_says(opened, dataset):
    view = opened("graph.html")
    for kind in KINDS:
        if kind != "warning" and view.page.locator(f"input[value={kind}]").count():
            view.page.locator(f"input[value={kind}]").uncheck()
    nodes, edges = _python_visible(dataset, kinds={"warning"})
    shown = view.js("kgExplorer.visible()")
    assert set(shown["nodes"]) == nodes and set(shown["edges"]) == edges
    assert "entity/kenya" not in nodes and "entity/venezuela" in nodes
    assert view.js("kgExplorer.drawnNodeCount()") == len(nodes)
    assert "Showing" in view.page.locator("#summary").inner_text()
    view.page.locator("#filter-reset").click()
    assert len(view.js("kgExplorer.visible()")["nodes"]) == view.js("KG_NODES.length")


def test_source_and_date_filters_match_the_python_rule(opened, dataset):
    view = opened("graph.html")
    view.page.select_option("#filter-source", "daily-beast-2020-07")
    nodes, edges = _python_visible(dataset, sources={"daily-beast-2020-07"})
    shown = view.js("kgExplorer.visible()")
    assert set(shown["nodes"]) == nodes and set(shown["edges"]) == edges
    assert "entity/cia" in nodes and "event/crocus-city-hall-attack" not in nodes
    view.page.select_option("#filter-source", "")
    view.page.fill("#filter-from", "2024-01-01")
    view.page.fill("#filter-to", "2024-12-31")
    nodes, edges = _python_visible(dataset, since="2024-01-01", until="2024-12-31")
    shown = view.js("kgExplorer.visible()")
    assert set(shown["nodes"]) == nodes and set(shown["edges"]) == edges
    assert f"{CROCUS}|entity/united-states>entity/russia|warned" in edges
    assert view.errors == []


@pytest.mark.parametrize("how", ["file", "http"])
def test_a_hostile_source_renders_as_text_and_runs_nothing(opened, how):
    view = opened("hostile.html", how)
    key = "event/ruritania-warns-freedonia|entity/ruritania>entity/freedonia|warned"
    assert view.js(f"kgExplorer.selectEdge('{key}')")
    text = view.page.locator("#panel").inner_text()
    assert HOSTILE in text and f"Ruritania {HOSTILE}" in text and "javascript:alert(4)" in text
    view.click_node("entity/ruritania")
    assert HOSTILE_ALIAS in view.page.locator("#panel").inner_text()
    view.page.locator("#search").fill("onerror")
    assert view.page.locator("#search-results li").first.inner_text().startswith("Ruritania")
    view.page.wait_for_timeout(300)  # give any injected handler the time to fire
    assert view.js("document.querySelectorAll('img, iframe, [onerror], a[href]').length") == 0
    assert view.dialogs == [] and view.errors == [] and view.blocked == []
    if how == "file":
        view.js(f"kgExplorer.selectEdge('{key}')")
        view.page.screenshot(path=str(ARTIFACTS / "explorer-hostile.png"))


def test_a_big_page_draws_lists_merged_warnings_and_filters_them_like_python(opened, site):
    view = opened("big.html")
    data = page_data((site / "big.html").read_text(encoding="utf-8"))
    assert view.js("kgExplorer.drawnNodeCount()") == len(data["NODES"])
    merged = next(e for e in data["EDGES"] if e.get("m") and e["r"] == "warned")
    key = (f"warning|{data['by_id'][merged['from']]['k']}>{data['by_id'][merged['to']]['k']}"
           "|warned")
    assert view.js(f"kgExplorer.selectEdge('{key}')")
    items = view.page.locator("#panel ul.links button")
    assert items.count() == len(merged["m"])
    items.first.click()
    text = view.page.locator("#panel").inner_text()
    assert "Synthetic report" in text and "Synthetic source" in text
    source = merged["m"][0]["s"][0]
    view.page.select_option("#filter-source", source)
    nodes, edges = visible(merge_parallel(build_view(project(_big_dataset()))), sources={source})
    shown = view.js("kgExplorer.visible()")
    assert set(shown["nodes"]) == nodes and set(shown["edges"]) == edges
    view.page.screenshot(path=str(ARTIFACTS / "explorer-big.png"))
    assert view.errors == [] and view.blocked == []


#: Smallest on-screen font a label may have and still count as readable, in CSS pixels.
READABLE_PX = 10
ACTOR_TYPES = ("State", "Agency", "Group", "Person")

#: Every drawn node's label box, shape box and font size on screen, from the network itself.
_ON_SCREEN = """() => {
  const net = kgExplorer.network, body = net.body, scale = net.getScale();
  const threshold = KG_OPTIONS.nodes.scaling.label.drawThreshold;
  const box = document.getElementById("mynetwork").getBoundingClientRect();
  const dom = (x0, y0, x1, y1) => {
    const a = net.canvasToDOM({x: x0, y: y0}), b = net.canvasToDOM({x: x1, y: y1});
    return [a.x, a.y, b.x, b.y];
  };
  const items = [];
  for (const id of body.nodeIndices) {
    const n = body.nodes[id];
    if (n.options.hidden) { continue; }
    const label = n.labelModule.size, px = n.labelModule.fontOptions.size * scale;
    items.push({key: KG_NODES[id].k, type: KG_NODES[id].t, px: px, drawn: px >= threshold,
                label: dom(label.left, label.top, label.left + label.width,
                           label.top + label.height),
                shape: dom(n.x - n.shape.width / 2, n.y - n.shape.height / 2,
                           n.x + n.shape.width / 2, n.y + n.shape.height / 2)});
  }
  return {width: box.width, height: box.height, items: items};
}"""


def _overlap(a: list[float], b: list[float], slack: float = 1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and \
        b[1] < a[3] - slack


def readable_labels(screen: dict) -> dict[str, bool]:
    """Each node: is its name readable? Big enough, inside the view, and nothing on it."""
    items = screen["items"]
    out = {}
    for item in items:
        x0, y0, x1, y1 = item["label"]
        inside = x0 >= 0 and y0 >= 0 and x1 <= screen["width"] and y1 <= screen["height"]
        covered = any(_overlap(item["label"], other["shape"]) or
                      (other["drawn"] and _overlap(item["label"], other["label"]))
                      for other in items if other is not item)
        out[item["key"]] = item["px"] >= READABLE_PX and inside and not covered
    return out


@pytest.fixture(scope="session")
def built_page(tmp_path_factory) -> Path:
    """The page `kg build` writes for the seed data in data/."""
    from click.testing import CliRunner

    from kg.cli import cli

    out = tmp_path_factory.mktemp("built") / "out"
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "graph.html"


def _at(browser, path: Path, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page_ = context.new_page()
    page_.goto(path.as_uri())
    page_.wait_for_function("window.kgExplorer && window.kgExplorer.ready", timeout=60_000)
    return context, page_


@pytest.mark.parametrize("width, height", [(1400, 900), (1920, 1080)])
def test_the_first_view_names_every_warner_and_most_nodes(browser, built_page, width, height):
    """At the zoom the page opens with, the story's names are big enough and uncovered."""
    data = page_data(built_page.read_text(encoding="utf-8"))
    by_id = data["by_id"]
    involved = {by_id[e[end]]["k"] for e in data["EDGES"]
                if e["k"] in ("warning", "sharing", "failure") for end in ("from", "to")
                if by_id[e[end]]["t"] in ACTOR_TYPES}
    warners = {by_id[e[end]]["k"] for e in data["EDGES"] if e["r"] == "warned"
               for end in ("from", "to")}
    assert {"entity/united-states", "entity/russia", "entity/iran", "entity/fsb",
            "entity/venezuela"} <= warners <= involved
    context, view = _at(browser, built_page, width, height)
    screen = view.evaluate(_ON_SCREEN)
    view.screenshot(path=str(ARTIFACTS / f"explorer-first-view-{width}x{height}.png"))
    context.close()
    readable = readable_labels(screen)
    assert len(readable) == len(data["NODES"])
    assert sorted(k for k in involved if not readable[k]) == []
    assert sum(readable.values()) >= len(readable) / 2
    px = {item["key"]: item["px"] for item in screen["items"]}
    quiet = [p for k, p in px.items() if k not in warners]
    assert min(px[k] for k in warners) > max(quiet), "the warners are the biggest names"


def test_the_readability_measure_sees_a_covered_or_tiny_label():
    screen = {"width": 500, "height": 400, "items": [
        {"key": "a", "px": 12, "drawn": True, "label": [10, 10, 90, 25], "shape": [40, 0, 60, 9]},
        {"key": "b", "px": 12, "drawn": True, "label": [50, 20, 120, 35],
         "shape": [80, 36, 90, 46]},
        {"key": "c", "px": 9, "drawn": True, "label": [200, 10, 260, 20],
         "shape": [220, 0, 240, 9]},
        {"key": "d", "px": 14, "drawn": True, "label": [450, 10, 520, 24],
         "shape": [470, 0, 490, 9]},
        {"key": "e", "px": 14, "drawn": True, "label": [300, 300, 360, 314],
         "shape": [320, 290, 340, 299]}]}
    assert readable_labels(screen) == {"a": False, "b": False, "c": False, "d": False,
                                       "e": True}


@pytest.mark.parametrize("width, height", [(1400, 900), (1920, 1080)])
def test_the_filters_and_legend_fit_the_window(browser, built_page, width, height):
    context, view = _at(browser, built_page, width, height)
    fits = view.evaluate("""() => {
        const nav = document.getElementById("filters"), legend = document.getElementById("legend");
        const items = Array.from(legend.querySelectorAll("li"));
        return {scrolls: nav.scrollHeight > nav.clientHeight, window: window.innerHeight,
                bottom: legend.getBoundingClientRect().bottom, items: items.length,
                cut: items.filter(li => li.getBoundingClientRect().bottom > window.innerHeight)
                          .map(li => li.textContent)};
    }""")
    context.close()
    assert fits["items"] >= 12 and fits["cut"] == []
    assert fits["bottom"] <= fits["window"] and not fits["scrolls"]


def test_the_panel_moves_what_was_clicked_out_from_under_it(browser, built_page):
    context, view = _at(browser, built_page, 1400, 900)
    where = """key => { const net = kgExplorer.network, id = kgExplorer.nodeId(key);
        return net.canvasToDOM(net.getPositions([id])[id]); }"""
    graph = view.locator("#mynetwork").bounding_box()
    rightmost = view.evaluate("""() => { const net = kgExplorer.network, at = net.getPositions();
        return KG_NODES.reduce((a, n) => at[n.id].x > at[a.id].x ? n : a).k; }""")
    point = view.evaluate(where, rightmost)
    view.mouse.click(graph["x"] + point["x"], graph["y"] + point["y"])
    view.wait_for_timeout(600)  # the view glides over 250 ms
    panel = view.locator("#panel-box").bounding_box()
    moved = view.evaluate(where, rightmost)
    context.close()
    assert point["x"] > panel["x"] - graph["x"]  # it was under where the panel opens
    assert moved["x"] < panel["x"] - graph["x"]


# ---------- the query page of `kg serve` ----------

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
    assert str(crocus["dates"]) == "2024-03-07" and "Crocus City Hall attack" in str(
        crocus["concerning"])
    assert int(crocus["sources"]) >= 2
    # A date a source only bounds is never shown as the day itself.
    plot = found[names.index("cia-warns-russia-st-petersburg")]
    assert str(plot["dates"]) == "before 2020-07-08"


def _open(browser, url: str, width: int = 1400, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                  else (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(url + "/")
    return context, page, blocked


def test_the_query_page_runs_its_first_example_with_prefixed_iris(browser, served):
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


def test_iris_shorten_with_the_querys_own_prefixes(browser, served):
    context, page, _ = _open(browser, served)
    page.fill("#query", "PREFIX ex: <https://w3id.org/duty-to-warn/id/entity/>\n"
                        "SELECT ?actor ?other WHERE { VALUES (?actor ?other) { "
                        "(ex:russia <urn:x:not/a%20prefix>) } }")
    page.locator("#run").click()
    page.wait_for_selector("#results table")
    cells = page.locator("#results tbody td").all_inner_texts()
    context.close()
    assert cells == ["ex:russia", "urn:x:not/a%20prefix"]
