"""The HTML explorer without a browser: self-contained, directed, every edge with its words.

The browser half (drawing, clicking, filtering, hostile text in Chromium) is in
test_html_browser.py; both read pages made by the helpers here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import kg
from kg.build import build_dataset
from kg.cli import cli
from kg.html import explorer, page
from kg.html.filters import merge_parallel, visible
from kg.html.style import EDGES, FAMILIES
from kg.html.view import KINDS, NODE_TYPES, View, build_view, key
from kg.project import project
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

from .conftest import GOOD

#: Untrusted text a source could carry: markup, a script break-out, a javascript: link.
HOSTILE = ('<img src=x onerror=alert(1)> </script><script>alert(2)</script> '
           '<a href="javascript:alert(3)">click</a>')
HOSTILE_ALIAS = "<img src=y onerror=alert(5)>"
HOSTILE_URL = "javascript:alert(4)"
CROCUS = "event/us-warns-russia-crocus"


def make_hostile_corpus(target: Path) -> Path:
    """tests/data/good, with HOSTILE in a source's title, text, quote and description."""
    shutil.copytree(GOOD, target)
    text_path = target / "sources" / "herald.txt"
    text = text_path.read_text(encoding="utf-8") + f"\nA reader wrote: {HOSTILE}\n"
    text_path.write_text(text, encoding="utf-8")
    sources = yaml.safe_load((target / "sources.yaml").read_text(encoding="utf-8"))
    for source in sources:
        if source["id"] == "herald-2021-06":
            source.update(title=f"Ruritania {HOSTILE}", url=HOSTILE_URL,
                          sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    (target / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True))
    claims_path = target / "claims" / "herald-2021-06.yaml"
    claims = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    warning = claims["claims"][0]
    warning["quotes"].append(HOSTILE)
    warning["description"] = HOSTILE
    claims_path.write_text(yaml.safe_dump(claims, allow_unicode=True))
    actors = yaml.safe_load((target / "actors.yaml").read_text(encoding="utf-8"))
    actors[0]["aliases"].append(HOSTILE_ALIAS)
    (target / "actors.yaml").write_text(yaml.safe_dump(actors, allow_unicode=True))
    return target


def page_data(html: str) -> dict:
    """The page's embedded data: nodes, edges, options and details (as the script sees them)."""
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                                html, re.DOTALL).group(1))
    for name in ("NODES", "EDGES", "OPTIONS"):
        data[name] = json.loads(re.search(rf"var KG_{name} = (.*?);\n", html).group(1))
    data["by_id"] = {n["id"]: n for n in data["NODES"]}
    return data


def edge_keys(data: dict) -> dict[str, dict]:
    """Edges by the key the view gives them: ``detail|from>to|relation``."""
    by_id = data["by_id"]
    return {f"{e.get('ev') or e['k']}|{by_id[e['from']]['k']}>{by_id[e['to']]['k']}|{e['r']}": e
            for e in data["EDGES"]}


@pytest.fixture(scope="session")
def real_html(dataset) -> str:
    return page(dataset)


@pytest.fixture(scope="session")
def state_html(dataset) -> str:
    return page(dataset, level="state")


@pytest.fixture(scope="session")
def hostile_html(tmp_path_factory) -> str:
    data = make_hostile_corpus(tmp_path_factory.mktemp("hostile") / "data")
    return page(kg.load(data).dataset)


class _Refs(HTMLParser):
    """Every tag and attribute that could make a browser fetch or navigate."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "formaction", "poster", "data", "srcset",
                        "background", "xlink:href", "ping", "manifest", "xmlns") or \
                    name.startswith("on"):
                self.urls.append((tag, name, value or ""))


def _refs(html: str) -> _Refs:
    refs = _Refs()
    refs.feed(html)
    return refs


@pytest.mark.parametrize("which", ["real_html", "state_html", "hostile_html"])
def test_the_page_references_nothing_outside_itself(which, request):
    html = request.getfixturevalue(which)
    refs = _refs(html)
    outside = [(t, n, v) for t, n, v in refs.urls if not v.startswith("data:")]
    assert outside == [], "a tag would fetch or run something"
    assert "iframe" not in refs.tags and "img" not in refs.tags
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html)
    assert "@import" not in html
    assert "cdn.jsdelivr.net" not in html and "cdnjs.cloudflare.com" not in html


def test_pyvis_in_line_mode_alone_would_link_bootstrap():
    """Why kg renders pyvis with its own template: the locked pyvis still links a CDN."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line", directed=True)
    net.add_node(1)
    assert "https://cdn.jsdelivr.net/npm/bootstrap" in net.generate_html()


def test_pyvis_undirected_default_would_erase_reciprocity():
    from pyvis.network import Network

    undirected = Network()
    undirected.add_nodes(["us", "ru"])
    undirected.add_edge("us", "ru")
    undirected.add_edge("ru", "us")
    assert len(undirected.edges) == 1


def test_warnings_are_directed_and_parallel_warnings_stay_apart(state_html):
    data = page_data(state_html)
    assert all(e["arrows"] == "to" for e in data["EDGES"])
    edges = edge_keys(data)
    us_ru = {k.split("|")[0] for k, e in edges.items()
             if e["r"] == "warned" and k.split("|")[1] in
             ("entity/united-states>entity/russia", "entity/russia>entity/united-states")}
    assert us_ru == {CROCUS, "event/cia-warns-russia-st-petersburg",
                     "event/russia-warns-us-tsarnaev"}
    between = [e for k, e in edges.items() if k.split("|")[1] in
               ("entity/united-states>entity/russia", "entity/russia>entity/united-states")]
    drawn = {(e["from"], e["to"], e.get("bend")) for e in between}
    assert len(drawn) == len(between), "two edges of a pair would be drawn on top of each other"
    assert data["OPTIONS"]["physics"]["enabled"] is False


def test_reciprocated_pairs_stand_out(real_html, state_html):
    state = edge_keys(page_data(state_html))
    assert state[f"{CROCUS}|entity/united-states>entity/russia|warned"]["st"] == "recip"
    assert state["event/russia-warns-us-tsarnaev|entity/russia>entity/united-states|warned"][
        "st"] == "recip"
    assert state["event/us-warns-iran-kerman|entity/united-states>entity/iran|warned"][
        "st"] == "warning"
    actor = edge_keys(page_data(real_html))
    cia = actor["event/cia-warns-russia-st-petersburg|entity/cia>entity/russia|warned"]
    assert cia["st"] == "recip_state"
    assert FAMILIES["recip"] in state_html


def test_edge_styles_come_in_a_few_families_a_reader_tells_apart(real_html):
    """Thirteen kinds of edge, drawn as eight families that differ in colour or dash."""
    looks = {}
    for style in EDGES.values():
        look = (style["color"], tuple(style.get("dashes", ())))
        assert looks.setdefault(style["family"], look) == look, "one family, one look"
    assert len(set(looks.values())) == len(looks) == len(FAMILIES) <= 8
    legend = re.search(r'<section id="legend">(.*?)</section>', real_html, re.DOTALL).group(1)
    edges = page_data(real_html)["EDGES"]
    drawn = {e["st"] for e in edges} | ({"contested"} if any(e.get("ct") for e in edges) else set())
    for family, words in FAMILIES.items():  # the legend names each family drawn, once
        present = any(EDGES[st]["family"] == family for st in drawn)
        assert legend.count(escape(words)) == (1 if present else 0), family


def test_a_warning_shows_date_concern_outcome_response_and_titled_quotes(real_html):
    data = page_data(real_html)
    detail = data["details"][CROCUS]
    rows = dict(detail["rows"])
    assert rows["Date"] == "2024-03-07"
    assert rows["Concerned"] == "Crocus City Hall attack"
    assert rows["Outcome"] == "attack happened"
    assert "dismissed (Vladimir Putin)" in rows["Response"]
    assert any(q["source"] == "ap-2024-03" and "Americans had publicly and privately informed"
               in q["quote"] for q in detail["quotes"])
    assert {q["source"] for q in detail["quotes"]} <= set(data["sources"])
    assert data["sources"]["rfi-2024-03"]["title"].startswith("“Duty to warn”: why the United")
    contested = data["details"]["event/russia-warns-us-tsarnaev"]
    assert dict(contested["rows"])["Disputed by"] == "outreach-2024"


def test_nodes_are_the_actors_places_and_events_of_the_projection(real_html, graph):
    drawn = {n["k"] for n in page_data(real_html)["NODES"]}
    expected = {key(n) for n, d in graph.nodes(data=True)
                if set(d.get("types", ())) & set(NODE_TYPES)}
    assert drawn == expected
    assert {"entity/russia", "entity/cia", "event/crocus-city-hall-attack",
            "event/icd-191"} <= drawn


def test_nodes_have_a_type_a_legend_entry_and_fixed_positions(real_html):
    data = page_data(real_html)
    types = {n["t"] for n in data["NODES"]}
    assert types == {"State", "Agency", "Person", "Group", "Place", "Attack", "Plot", "Policy"}
    for name in types:
        assert data["style"]["nodes"][name]["name"] in real_html  # the legend names each
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["NODES"])


def test_a_search_finds_any_alias(real_html):
    cia = next(n for n in page_data(real_html)["NODES"] if n["k"] == "entity/cia")
    assert "Langley" in cia["al"]


def test_hostile_text_stays_text(hostile_html):
    assert "<img" not in hostile_html
    scripts = _refs(hostile_html).tags.count("script")
    assert hostile_html.lower().count("</script") == scripts  # nothing broke out of a script
    assert not re.search(r"""=\s*["']?\s*javascript:""", hostile_html, re.IGNORECASE)
    data = page_data(hostile_html)
    warning = data["details"]["event/ruritania-warns-freedonia"]
    assert HOSTILE in {q["quote"] for q in warning["quotes"]}
    assert data["sources"]["herald-2021-06"]["title"] == f"Ruritania {HOSTILE}"
    ruritania = next(n for n in data["NODES"] if n["k"] == "entity/ruritania")
    assert HOSTILE_ALIAS in ruritania["al"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_html  # the source menu, escaped


def test_filters_keep_what_they_say(dataset):
    view = build_view(project(dataset))
    nodes, edges = visible(view, kinds={"warning"})
    assert {"entity/venezuela", "entity/united-states", "entity/fsb"} <= nodes
    assert "entity/kenya" not in nodes and "entity/vladimir-putin" not in nodes
    assert {e["kind"] for e in view.edges if e["key"] in edges} == {"warning"}
    nodes, edges = visible(view, sources={"daily-beast-2020-07"})
    shown = [e for e in view.edges if e["key"] in edges and e["sources"]]
    assert shown and all("daily-beast-2020-07" in e["sources"] for e in shown)
    nodes, edges = visible(view, since="2024-01-01", until="2024-12-31")
    dated = [e for e in view.edges if e["key"] in edges and e["d0"] is not None]
    assert f"{CROCUS}|entity/united-states>entity/russia|warned" in edges
    assert all(e["d0"] <= "2024-12-31" and e["d1"] >= "2024-01-01" for e in dated)
    assert "event/russia-warns-us-tsarnaev|entity/fsb>entity/united-states|warned" not in edges


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_kg_html_writes_a_filtered_view(tmp_path):
    out = tmp_path / "cia.html"
    code, stdout, stderr = run("html", "--out", str(out), "--actor", "Langley")
    assert code == 0, stderr
    assert stdout.startswith(f"Wrote {out}")
    keys = {n["k"] for n in page_data(out.read_text(encoding="utf-8"))["NODES"]}
    assert {"entity/cia", "entity/russia", "event/st-petersburg-plot"} <= keys
    assert "entity/saudi-arabia" not in keys and "entity/isis-k" in keys  # US world, not all
    out = tmp_path / "warnings.html"
    code, _, stderr = run("html", "--out", str(out), "--kind", "warning", "--since", "2024",
                          "--level", "state")
    assert code == 0, stderr
    data = page_data(out.read_text(encoding="utf-8"))
    assert {e["k"] for e in data["EDGES"]} == {"warning"}
    assert all(e["d1"] >= "2024-01-01" for e in data["EDGES"] if "d0" in e)


def test_kg_html_actor_draws_the_world_of_its_state_too(tmp_path):
    """The README's example: the Kremlin is part of Russia, so Russia's warnings come too."""
    out = tmp_path / "kremlin.html"
    code, _, stderr = run("html", "--out", str(out), "--actor", "Kremlin")
    assert code == 0, stderr
    data = page_data(out.read_text(encoding="utf-8"))
    edges = edge_keys(data)
    crocus = edges[f"{CROCUS}|entity/united-states>entity/russia|warned"]
    assert (crocus["d0"], crocus["d1"]) == ("2024-03-07", "2024-03-07")
    assert "event/russia-warns-us-tsarnaev|entity/fsb>entity/united-states|warned" in edges
    keys = {n["k"] for n in data["NODES"]}
    assert {"entity/kremlin", "entity/russia", "entity/vladimir-putin",
            "event/crocus-city-hall-attack"} <= keys
    assert "entity/saudi-arabia" not in keys  # not the whole graph
    tier = {n["k"]: n["p"] for n in data["NODES"]}
    assert tier["entity/kremlin"] == 1  # the chosen actor is drawn as big as the warners


def test_warners_are_the_first_tier_places_the_last(real_html):
    data = page_data(real_html)
    tier = {n["k"]: n["p"] for n in data["NODES"]}
    warners = {data["by_id"][e[end]]["k"] for e in data["EDGES"] if e["r"] == "warned"
               for end in ("from", "to")}
    assert {k for k, t in tier.items() if t == 1} == warners
    assert tier["entity/moscow"] == 3 and tier["event/crocus-city-hall-attack"] == 2
    fonts = [data["tiers"][str(t)]["font"] for t in (1, 2, 3)]
    assert fonts == sorted(fonts, reverse=True)


@pytest.mark.parametrize("args, message", [
    (["--actor", "Kremln"], "kg: unknown actor 'Kremln' (did you mean 'Kremlin'"),
    (["--since", "2024-13"], "kg: --since '2024-13': impossible date"),
    (["--since", "2025", "--until", "2024"], "is after --until"),
    (["--source", "nope"], "kg: unknown source 'nope'"),
    (["--kind", "warnings"], "kg: unknown kind 'warnings' (did you mean 'warning'"),
])
def test_kg_html_explains_bad_filters(tmp_path, args, message):
    code, _, stderr = run("html", "--out", str(tmp_path / "x.html"), *args)
    assert code == 1
    assert message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "x.html").exists()


def test_kg_html_help_names_every_kind():
    code, stdout, _ = run("html", "--help")
    assert code == 0 and "Example:" in stdout
    for kind in KINDS:
        assert kind in stdout


def test_kg_build_writes_the_page_and_the_same_bytes_twice(tmp_path):
    pages = []
    for name in ("a", "b"):
        code, _, stderr = run("build", "--data", str(GOOD), "--out", str(tmp_path / name))
        assert code == 0, stderr
        pages.append((tmp_path / name / "graph.html").read_bytes())
    assert pages[0] == pages[1]
    assert b"Ruritania" in pages[0]


def test_big_graphs_skip_pyvis_quadratic_path_and_draw_still(monkeypatch):
    from pyvis.network import Network

    def refuse(*args, **kwargs):
        raise AssertionError("add_node/add_edge check every node: quadratic")

    monkeypatch.setattr(Network, "add_node", refuse)
    monkeypatch.setattr(Network, "add_edge", refuse)
    dataset = build_dataset(check_corpus(synthetic_corpus(1500, seed=4)))
    made = explorer(dataset)
    data = page_data(made.html)
    assert made.nodes == len(data["NODES"]) > 400  # above DETAIL_LIMIT: the big-graph options
    assert data["big"] is True and data["OPTIONS"]["interaction"]["hideEdgesOnDrag"] is True
    assert data["OPTIONS"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["NODES"])
    assert len({(n["x"], n["y"]) for n in data["NODES"]}) > 0.99 * len(data["NODES"])


def test_above_the_limit_the_page_keeps_the_best_connected_and_says_so():
    dataset = build_dataset(check_corpus(synthetic_corpus(300, seed=4)))
    full = explorer(dataset)
    made = explorer(dataset, max_nodes=20)
    data = page_data(made.html)
    assert made.nodes == len(data["NODES"]) == 20 < full.nodes
    assert made.notes and "best-connected" in made.notes[0] and "best-connected" in made.html
    assert any(n.get("h") for n in data["NODES"])
    kept = {n["k"] for n in data["NODES"]}
    assert all(data["by_id"][e["from"]]["k"] in kept for e in data["EDGES"])


def test_big_pages_merge_parallel_edges_but_lose_no_warning_and_keep_direction():
    from kg.analysis import warning_pairs

    dataset = build_dataset(check_corpus(synthetic_corpus(1500, seed=4)))
    data = page_data(explorer(dataset).html)
    by_id = data["by_id"]
    drawn: list[tuple[str, str, str]] = []
    for edge in data["EDGES"]:
        if edge["r"] != "warned":
            continue
        for member in edge.get("m") or [edge]:
            drawn.append((member["ev"], by_id[edge["from"]]["k"], by_id[edge["to"]]["k"]))
            assert member["ev"] in data["details"]
    pairs = warning_pairs(project(dataset), "actor")
    assert sorted(drawn) == sorted((f"event/{p['id']}", key(p["from"]), key(p["to"]))
                                   for p in pairs)
    merged = [e for e in data["EDGES"] if e.get("m")]
    assert merged and all(len(e["m"]) > 1 for e in merged)
    directions = {(e["from"], e["to"], e["r"]) for e in data["EDGES"]}
    assert len(directions) == len(data["EDGES"])  # one edge per direction and relation
    assert any((e["to"], e["from"], "warned") in directions for e in merged if e["r"] == "warned")


def test_merged_edges_pass_a_filter_when_one_of_theirs_does():
    view = build_view(project(build_dataset(check_corpus(synthetic_corpus(600, seed=2)))))
    merged = merge_parallel(view)
    edge = next(e for e in merged.edges if e.get("members") and len(
        {s for m in e["members"] for s in m["sources"]}) > 1)
    source = edge["members"][-1]["sources"][0]
    assert edge["key"] in visible(merged, sources={source})[1]
    assert edge["key"] not in visible(merged, sources={"no-such-source"})[1]


def test_above_the_edge_limit_the_page_keeps_fewer_nodes_and_says_so():
    dataset = build_dataset(check_corpus(synthetic_corpus(300, seed=4)))
    made = explorer(dataset, max_edges=60)
    assert made.edges <= 60 and made.notes


def _node(k: str, kind: str | None = None, sources=(), d0=None, type_="State") -> dict:
    return {"key": k, "label": k.upper(), "type": type_, "kind": kind, "sources": list(sources),
            "aliases": [], "d0": d0, "d1": d0}


def _edge(a: str, b: str, kind: str, rel: str, sources=(), d0=None, detail=None) -> dict:
    return {"key": f"{a}>{b}", "from": a, "to": b, "kind": kind, "rel": rel,
            "sources": list(sources), "detail": detail, "d0": d0, "d1": d0}


#: Two states, a warning between them about an attack event, and a place the attack was in.
TINY = View("actor",
            [_node("us"), _node("ru"), _node("crocus", "attack", ["s1"], "2024-03-22", "Attack"),
             _node("moscow", "place", type_="Place"), _node("fr")],
            [_edge("us", "ru", "warning", "warned", ["s1"], "2024-03-07", "w1"),
             _edge("us", "crocus", "warning", "about", ["s1"], "2024-03-07", "w1"),
             _edge("crocus", "moscow", "place", "in", ["s1"]),
             _edge("fr", "us", "membership", "part of")],
            {}, {"s1": {"title": "A"}})


def test_visible_without_filters_shows_everything():
    nodes, edges = visible(TINY)
    assert nodes == {"us", "ru", "crocus", "moscow", "fr"}
    assert edges == {e["key"] for e in TINY.edges}


def test_visible_drops_an_event_out_of_range_with_its_edges_and_unreached_actors():
    nodes, edges = visible(TINY, since="2024-03-10")
    # the attack (March 22) shows; the warning (March 7) does not, so neither does Russia
    assert nodes == {"crocus", "moscow"}
    assert edges == {"crocus>moscow"}


def test_reference_edges_show_only_between_shown_nodes():
    nodes, edges = visible(TINY, kinds={"warning", "membership"})
    assert "fr" not in nodes and "fr>us" not in edges  # France reaches no sourced edge
    assert edges == {"us>ru"}  # the attack's kind is off: the edge to it goes too


def test_page_items_are_made_without_pyvis(monkeypatch):
    import sys

    from kg.html import edge_items, node_items

    monkeypatch.setitem(sys.modules, "pyvis", None)
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    nodes = node_items(TINY, chosen={"fr"})
    assert [(n["id"], n["k"]) for n in nodes] == [(i, n["key"]) for i, n in enumerate(TINY.nodes)]
    tiers = {n["k"]: n["p"] for n in nodes}
    assert (tiers["us"], tiers["ru"], tiers["fr"], tiers["moscow"]) == (1, 1, 1, 3)
    assert "kd" not in nodes[0] and nodes[2]["kd"] == "attack"  # None is left out
    edges = edge_items(TINY, {n["k"]: n["id"] for n in nodes})
    warned = edges[0]
    assert (warned["from"], warned["to"], warned["r"], warned["ev"]) == (0, 1, "warned", "w1")
    assert "ev" not in edges[3] and "s" not in edges[3]  # a reference edge: no detail, source
