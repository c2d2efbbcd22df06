"""`kg serve`: the SPARQL 1.1 Protocol over HTTP, against a server started on a free loopback port.

A real client (SPARQLWrapper) and raw HTTP (http.client) ask for every result format and
try every refusal; after each refusal the server must still answer. A bounded load test
(8 clients x 200 named queries) must end with zero errors and every answer right.

Every test that takes ``endpoint`` runs twice: against the default store (Oxigraph in
memory, answered by Oxigraph's engine) and against ``--store memory`` (rdflib's engine).
An on-disk Oxigraph store is served too, its workers reading the store where it is.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import kg
from kg import sparql
from kg.errors import StoreError
from kg.iri import MANIFEST
from kg.serve import Limits, example_queries, query_page, start, workers
from kg.stores import close, open_dataset

from .conftest import DATA, ROOT
from .iris import AP_GRAPH, CLAIM, CROCUS_WARNING, GRAPH, KG, RFI_GRAPH

pytestmark = pytest.mark.filterwarnings(  # inside SPARQLWrapper's convert(), not ours
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SD = "http://www.w3.org/ns/sparql-service-description#"
GOLDEN = Path(__file__).resolve().parent / "golden"
AP_CLAIM = CLAIM["ap-us-warns-russia-crocus"]
WHO_SAYS = f"SELECT ?g ?claim WHERE {{ GRAPH ?g {{ ?claim <{KG.asserts}> <{CROCUS_WARNING}> }} }}"
CONSTRUCT = (f"CONSTRUCT {{ ?claim <{KG.asserts}> <{CROCUS_WARNING}> }} "
             f"WHERE {{ ?claim <{KG.asserts}> <{CROCUS_WARNING}> }}")
ASK = f"ASK {{ <{AP_CLAIM}> <{KG.asserts}> <{CROCUS_WARNING}> }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_RESULTS = 1000  # above every named query's answer, below the graph's size
HOSTILE = ('# </script><script>alert("x")</script> & <b>bold</b>\n'
           "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n")


@pytest.fixture(scope="session")
def pages():
    """What the server shows at /explorer (None: not built); tests may set it."""
    return {"explorer": None}


@pytest.fixture(scope="session")
def queries_dir(tmp_path_factory):
    """The named queries plus one whose comment tries to break out of the page's script."""
    target = tmp_path_factory.mktemp("queries")
    for path in sparql.named_queries().values():
        shutil.copy(path, target)
    (target / "zz-hostile.rq").write_text(HOSTILE, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def memory_dataset():
    """The real data in rdflib's own memory store (``--store memory``)."""
    return kg.load(DATA, store="memory", shapes=False).dataset


#: The store a served dataset lives in -> the engine that must answer for it.
ENGINES = {"oxigraph": "oxigraph", "memory": "rdflib"}


@pytest.fixture(scope="session", params=sorted(ENGINES))
def endpoint(request, dataset, memory_dataset, pages, queries_dir):
    served = dataset if request.param == "oxigraph" else memory_dataset
    with start(served, "127.0.0.1", 0, workers=2, queries_dir=queries_dir,
               limits=Limits(timeout=60, max_results=MAX_RESULTS),
               explorer=lambda: pages["explorer"]) as running:
        assert running.engine == ENGINES[request.param]
        yield running


def request(endpoint, method="GET", path="/sparql", params=None, body=None, headers=None):
    """One raw HTTP request; returns (status, headers, body bytes)."""
    host, port = urllib.parse.urlsplit(endpoint.base_url).netloc.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    target = path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    if isinstance(body, str):
        body = body.encode()
    conn.request(method, target, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.headers, data


def still_answers(endpoint):
    status, _, body = request(endpoint, params={"query": ASK})
    assert (status, json.loads(body)["boolean"]) == (200, True)


def wrapper(endpoint, query, fmt=JSON, method=None):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method:
        client.setMethod(method)
    return client


# --- a real client: SPARQLWrapper ----------------------------------------------------------

@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json_sees_each_sources_graph(endpoint, method):
    result = wrapper(endpoint, WHO_SAYS, JSON, method).query().convert()
    said = {(b["g"]["value"], b["claim"]["value"]) for b in result["results"]["bindings"]}
    assert (str(AP_GRAPH), str(AP_CLAIM)) in said
    assert str(RFI_GRAPH) in {g for g, _ in said}


def test_sparqlwrapper_select_xml_csv_tsv(endpoint):
    xml = wrapper(endpoint, WHO_SAYS, XML).query().convert()
    assert str(AP_CLAIM) in [u.firstChild.data for u in xml.getElementsByTagName("uri")]
    table = list(csv.reader(io.StringIO(wrapper(endpoint, WHO_SAYS, CSV).query().convert()
                                        .decode())))
    assert table[0] == ["g", "claim"] and [str(AP_GRAPH), str(AP_CLAIM)] in table
    tsv = wrapper(endpoint, WHO_SAYS, TSV).query().convert().decode().splitlines()
    assert tsv[0] == "?g\t?claim" and f"<{AP_GRAPH}>\t<{AP_CLAIM}>" in tsv


def test_sparqlwrapper_ask(endpoint):
    assert wrapper(endpoint, ASK, JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML])
def test_sparqlwrapper_construct(endpoint, fmt):
    converted = wrapper(endpoint, CONSTRUCT, fmt).query().convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted,
                                                                         format="turtle")
    assert (AP_CLAIM, KG.asserts, CROCUS_WARNING) in graph


def test_sparqlwrapper_sees_refusals_and_the_server_goes_on(endpoint):
    with pytest.raises(QueryBadFormed, match="malformed query"):
        wrapper(endpoint, "SELECT ?x WHERE { ?x ").query()
    for query, status in [("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
                          ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                           403),
                          ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", 413)]:
        client = wrapper(endpoint, query, JSON, POST)
        with pytest.raises(urllib.error.HTTPError) as caught:
            client.query()
        assert caught.value.code == status
        still_answers(endpoint)
    client = wrapper(endpoint, RUNAWAY)
    client.addParameter("timeout", "1")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 422
    still_answers(endpoint)


def test_rdflib_sparqlstore_as_a_remote_client(endpoint):
    remote = Dataset(store=SPARQLStore(endpoint.url), default_union=True)
    said = {(row.g, row.claim) for row in remote.query(WHO_SAYS)}
    assert (AP_GRAPH, AP_CLAIM) in said
    status, _, body = request(endpoint, params={  # what Dataset(store=...) sends by default
        "query": ASK, "default-graph-uri": "urn:x-rdflib:default"})
    assert status == 400 and b"default_union=True" in body


# --- raw HTTP: every format -----------------------------------------------------------------

def test_select_in_each_format(endpoint):
    expected = {(AP_GRAPH, AP_CLAIM)}
    for accept, fmt in [("application/sparql-results+json", "json"),
                        ("application/sparql-results+xml", "xml"), ("text/csv", "csv"),
                        ("text/tab-separated-values", "tsv")]:
        status, headers, body = request(endpoint, params={"query": WHO_SAYS},
                                        headers={"Accept": accept})
        assert status == 200 and headers.get_content_type() == accept
        rows = {tuple(URIRef(str(t)) for t in row)
                for row in Result.parse(io.BytesIO(body), format=fmt)}
        assert expected <= rows, fmt


def test_ask_in_each_format(endpoint):
    for accept, expected in [("application/sparql-results+json", b'"boolean": true'),
                             ("application/sparql-results+xml", b"<boolean>true</boolean>"),
                             ("text/csv", b"true"), ("text/tab-separated-values", b"true")]:
        status, headers, body = request(endpoint, params={"query": ASK},
                                        headers={"Accept": accept})
        assert (status, headers.get_content_type()) == (200, accept)
        assert expected in body


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"),
                                        ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"),
                                        ("application/rdf+xml", "xml")])
def test_construct_and_describe_in_each_format(endpoint, accept, fmt):
    for query in (CONSTRUCT, f"DESCRIBE <{AP_CLAIM}>"):
        status, headers, body = request(endpoint, "POST", body=query, headers={
            "Content-Type": "application/sparql-query", "Accept": accept})
        assert (status, headers.get_content_type()) == (200, accept)
        assert (AP_CLAIM, KG.asserts, CROCUS_WARNING) in Graph().parse(data=body, format=fmt)


def test_defaults_and_quality_values(endpoint):
    _, headers, _ = request(endpoint, params={"query": WHO_SAYS})
    assert headers.get_content_type() == "application/sparql-results+json"
    _, headers, _ = request(endpoint, params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert headers.get_content_type() == "text/turtle"
    _, headers, _ = request(endpoint, params={"query": WHO_SAYS}, headers={
        "Accept": "text/csv;q=0.4, application/sparql-results+xml;q=0.9, */*;q=0.1"})
    assert headers.get_content_type() == "application/sparql-results+xml"


def test_form_post_and_literal_with_tabs_in_tsv(endpoint):
    query = 'SELECT ?x WHERE { BIND("a\\tb\\nc" AS ?x) }'
    status, _, body = request(endpoint, "POST", body=urllib.parse.urlencode({"query": query}),
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "Accept": "text/tab-separated-values"})
    assert status == 200
    assert [row[0] for row in Result.parse(io.BytesIO(body), format="tsv")] == [
        Literal("a\tb\nc")]


def test_terms_survive_every_select_format(endpoint):
    # A typed literal keeps its type and value (rdflib writes "05" as 5: the same value), a
    # language tag its tag, a blank node stays one, a plain literal's text is intact.
    query = ('SELECT ?n ?fr ?b ?plain WHERE { BIND ("05"^^xsd:integer AS ?n) '
             'BIND ("Kremlin"@fr AS ?fr) BIND (BNODE() AS ?b) BIND ("a <b> & \\"c\\"" AS ?plain) }')
    for accept, fmt in [("application/sparql-results+json", "json"),
                        ("application/sparql-results+xml", "xml"),
                        ("text/tab-separated-values", "tsv")]:
        status, _, body = request(endpoint, params={"query": query}, headers={"Accept": accept})
        assert status == 200, body
        [row] = list(Result.parse(io.BytesIO(body), format=fmt))
        assert (row.n.datatype, row.n.toPython()) == (XSD.integer, 5), fmt
        assert row.fr == Literal("Kremlin", lang="fr") and isinstance(row.b, BNode), fmt
        assert row.plain == Literal('a <b> & "c"'), fmt
    _, _, body = request(endpoint, params={"query": query}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(body.decode())))[1][1::2] == ["Kremlin", 'a <b> & "c"']
    # RDF 1.1: a plain literal is an xsd:string; results write it without a datatype.
    _, _, body = request(endpoint, params={"query": query})
    assert json.loads(body)["results"]["bindings"][0]["plain"] == {
        "type": "literal", "value": 'a <b> & "c"'}


# --- the dataset: named graphs, default-graph-uri, named-graph-uri, FROM --------------------

def _rows(body):
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_graph_names_match_the_service_description(endpoint, dataset):
    status, headers, body = request(endpoint)
    assert status == 200 and headers.get_content_type() == "text/turtle"
    description = Graph().parse(data=body, format="turtle")
    service = URIRef(endpoint.url)
    assert (service, URIRef(SD + "endpoint"), service) in description
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in description
    described = {str(o) for o in description.objects(None, URIRef(SD + "name"))}
    _, _, body = request(endpoint, params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert {r["g"] for r in _rows(body)} == described
    assert {str(AP_GRAPH), str(GRAPH["reference"]), str(GRAPH["ontology"])} <= described


def test_default_graph_uri_and_named_graph_uri_are_honoured(endpoint):
    ask = f"ASK {{ <{AP_CLAIM}> <{KG.asserts}> <{CROCUS_WARNING}> }}"
    for graph, expected in [(AP_GRAPH, True), (RFI_GRAPH, False)]:
        _, _, body = request(endpoint, params={"query": ask, "default-graph-uri": str(graph)})
        assert json.loads(body)["boolean"] is expected
    _, _, body = request(endpoint, params={
        "query": WHO_SAYS, "named-graph-uri": [str(AP_GRAPH), str(RFI_GRAPH)]})
    assert {r["g"] for r in _rows(body)} == {str(AP_GRAPH), str(RFI_GRAPH)}
    from_named = WHO_SAYS.replace("WHERE", f"FROM NAMED <{RFI_GRAPH}> WHERE")
    _, _, body = request(endpoint, params={"query": from_named})
    assert {r["g"] for r in _rows(body)} == {str(RFI_GRAPH)}


def test_from_and_from_named_in_the_query_compose_the_dataset(endpoint):
    def ask(query):
        status, _, body = request(endpoint, params={"query": query})
        assert status == 200, body
        return json.loads(body)["boolean"]

    pattern = f"<{AP_CLAIM}> <{KG.asserts}> <{CROCUS_WARNING}>"
    assert ask(f"ASK FROM <{AP_GRAPH}> {{ {pattern} }}") is True
    assert ask(f"ASK FROM <{RFI_GRAPH}> {{ {pattern} }}") is False  # not the union any more
    # FROM NAMED alone: the default graph is empty (SPARQL 1.1, 13.2), the named one is there.
    assert ask(f"ASK FROM NAMED <{AP_GRAPH}> {{ {pattern} }}") is False
    assert ask(f"ASK FROM NAMED <{AP_GRAPH}> {{ GRAPH <{AP_GRAPH}> {{ {pattern} }} }}") is True
    # The protocol's graphs win over the query's own.
    status, _, body = request(endpoint, params={
        "query": f"ASK FROM <{RFI_GRAPH}> {{ {pattern} }}", "default-graph-uri": str(AP_GRAPH)})
    assert json.loads(body)["boolean"] is True


# --- refusals: each a clear 4xx, and the server goes on ------------------------------------

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REFUSALS = {
    "update by POST": ("POST", None, "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                       {"Content-Type": "application/sparql-update"}, 403, "read-only"),
    "update= in a form": ("POST", None, "update=" + urllib.parse.quote("CLEAR ALL"), FORM, 403,
                          "read-only"),
    "update= by GET": ("GET", {"update": "DROP ALL"}, None, {}, 403, "read-only"),
    "update as query=": ("GET", {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, None, {},
                         403, "SPARQL Update (INSERT DATA) is refused"),
    "LOAD": ("POST", None, "query=" + urllib.parse.quote("LOAD <http://example.org/x.ttl>"),
             FORM, 403, "SPARQL Update (LOAD) is refused"),
    "SERVICE": ("GET", {"query": "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }"},
                None, {}, 403, "SERVICE (federated query) is refused"),
    "SERVICE inside EXISTS": ("GET", {"query": "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE "
                                               "<http://example.org/s> { ?s ?p ?o } } }"},
                              None, {}, 403, "SERVICE"),
    "malformed": ("GET", {"query": "SELECT ?x WHERE { ?x ?p }"}, None, {}, 400,
                  "malformed query: Expected"),
    "unknown prefix": ("GET", {"query": "SELECT * { ?s nope:p ?o }"}, None, {}, 400,
                       "nope"),
    "FROM a remote graph": ("GET", {"query": "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"},
                            None, {}, 400, "unknown graph <http://example.org/g>"),
    "default-graph-uri unknown": ("GET", {"query": "ASK { ?s ?p ?o }",
                                          "default-graph-uri": "http://example.org/g"},
                                  None, {}, 400, "nothing is fetched"),
    "too many rows": ("GET", {"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }"}, None, {}, 413,
                      f"more than {MAX_RESULTS} rows"),
    "too many triples": ("GET", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, None, {}, 413,
                         f"more than {MAX_RESULTS} triples"),
    "no acceptable type": ("GET", {"query": "ASK { ?s ?p ?o }"}, None, {"Accept": "image/png"},
                           406, "available: application/sparql-results+json"),
    "unknown body type": ("POST", None, "ASK { ?s ?p ?o }", {"Content-Type": "text/plain"},
                          415, "application/sparql-query"),
    "two queries": ("GET", {"query": ["ASK {}", "ASK {}"]}, None, {}, 400, "exactly one"),
    "empty query": ("GET", {"query": " "}, None, {}, 400, "empty"),
    "body too large": ("POST", None, "query=" + "x" * (Limits.max_body + 1), FORM, 413,
                       "at most"),
    "bad timeout": ("GET", {"query": "ASK {}", "timeout": "soon"}, None, {}, 400, "timeout"),
    "another Host": ("GET", {"query": "ASK {}"}, None, {"Host": "attacker.example"}, 403,
                     "loopback"),
    "unknown page": ("GET", None, None, {}, 404, "try / (query page)"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusal(endpoint, case):
    method, params, body, headers, status, message = REFUSALS[case]
    path = "/nope" if case == "unknown page" else "/sparql"
    got, got_headers, text = request(endpoint, method, path, params, body, headers)
    assert got == status, text
    assert got_headers.get_content_type() == "text/plain"
    assert message in text.decode()
    still_answers(endpoint)


def test_the_result_size_limit_is_exact(endpoint):
    def select(limit):
        return request(endpoint, params={
            "query": f"SELECT ?s ?o WHERE {{ ?s ?p ?o }} LIMIT {limit}"})

    status, _, body = select(MAX_RESULTS)
    assert status == 200 and len(_rows(body)) == MAX_RESULTS
    status, _, body = select(MAX_RESULTS + 1)
    assert status == 413, body
    # A graph is a set: many solutions making one triple are one triple, within the limit.
    one = f"CONSTRUCT {{ <{AP_CLAIM}> <{KG.asserts}> <{CROCUS_WARNING}> }} WHERE {{ ?s ?p ?o }}"
    got, _, body = request(endpoint, params={"query": one},
                           headers={"Accept": "application/n-triples"})
    assert got == 200 and len(Graph().parse(data=body, format="nt")) == 1
    assert len(body.strip().splitlines()) == 1


def test_time_limit_ends_the_worker_and_the_server_goes_on(endpoint):
    before = endpoint.worker_pids()
    status, _, body = request(endpoint, params={"query": RUNAWAY, "timeout": "1"})
    assert status == 422 and b"time limit of 1 s" in body
    stopped = before - endpoint.worker_pids()
    assert len(stopped) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(stopped.pop(), 0)
    still_answers(endpoint)


@pytest.mark.parametrize("store", sorted(ENGINES))
def test_memory_limit_refuses_the_query_and_replaces_the_worker(store, dataset, memory_dataset):
    # rdflib raises MemoryError; Oxigraph's Rust side aborts the worker, which is replaced.
    limits = Limits(timeout=120, memory_mb=64)
    served = dataset if store == "oxigraph" else memory_dataset
    with start(served, "127.0.0.1", 0, workers=1, limits=limits) as small:
        before = small.worker_pids()
        status, _, body = request(small, params={
            "query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"})
        assert status == 413 and b"more memory than" in body
        assert not before & small.worker_pids()  # the worker that ran it is gone
        still_answers(small)


PROBE = """
import socket, sys
from kg.serve.workers import _isolate_network
isolated = _isolate_network()
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    reached = True
except OSError:
    reached = False
print(isolated, reached)
"""


def test_workers_reach_no_network_where_linux_allows_it(endpoint):
    # Defence in depth behind the SERVICE refusal: Oxigraph's engine could fetch URLs.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        probe = subprocess.run([sys.executable, "-c", PROBE, str(listener.getsockname()[1])],
                               capture_output=True, text=True, cwd=ROOT, timeout=60)
    isolated, reached = probe.stdout.split()
    assert reached == ("False" if isolated == "True" else "True"), probe.stderr
    if isolated == "True":  # the kernel allows it here: no worker reaches the network
        assert endpoint.network_isolated
        ours = os.readlink("/proc/self/ns/net")
        for pid in endpoint.worker_pids():
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                filtered = "\nSeccomp:\t2" in status.read()
            assert os.readlink(f"/proc/{pid}/ns/net") != ours or filtered


def test_a_worker_still_starting_is_not_listed_until_it_is_ready(endpoint):
    # The check above reads each listed worker's namespace: a replacement that has not yet
    # isolated itself (nor been given a query) must not be listed as one that answers.
    pool = endpoint._pool
    worker = pool._spawn()
    try:
        assert worker[0].pid not in endpoint.worker_pids()
        pool._await_ready(worker)
        assert worker[0].pid in endpoint.worker_pids()
    finally:
        pool._end(worker)
    assert worker[0].pid not in endpoint.worker_pids()


SECCOMP_PROBE = """
import socket, sys
import pyoxigraph as ox
import kg.serve.workers as w
w._new_network_namespace = lambda: False  # as in a container that refuses unshare()
isolated = w._isolate_network()
try:
    list(ox.Store().query(f"SELECT * {{ SERVICE <http://127.0.0.1:{sys.argv[1]}/x> {{}} }}"))
    fetched = "answered"
except OSError as exc:
    fetched = "failed"
with open("/proc/self/status", encoding="ascii") as status:
    filtered = "\\nSeccomp:\\t2" in status.read()
print(isolated, fetched, filtered)
"""


def test_a_seccomp_filter_cuts_workers_off_where_namespaces_are_refused():
    # Oxigraph's engine itself, with the gate bypassed, cannot fetch a SERVICE URL.
    if platform.machine() not in workers._SECCOMP:
        pytest.skip(f"no seccomp filter for {platform.machine()}")
    with _listener() as service:
        probe = subprocess.run([sys.executable, "-c", SECCOMP_PROBE,
                                str(service.getsockname()[1])],
                               capture_output=True, text=True, cwd=ROOT, timeout=60,
                               check=False)
        assert probe.stdout.split() == ["True", "failed", "True"], probe.stderr
        assert not _contacted(service)


def _named_rows(body: bytes) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True)
                  for row in sparql.rows(Result.parse(io.BytesIO(body), format="json")))


def test_an_on_disk_store_is_served_from_where_it_is(tmp_path, memory_dataset):
    location = tmp_path / "store"
    built = kg.load(DATA, store=f"oxigraph:{location}", shapes=False)
    try:
        with start(built.dataset, "127.0.0.1", 0, workers=1) as served:
            assert served.engine == "oxigraph"
            # Each worker reads the store's own files (read-only): no copy of the graph.
            for pid in served.worker_pids():
                opened = [os.readlink(f"/proc/{pid}/fd/{fd}")
                          for fd in os.listdir(f"/proc/{pid}/fd")]
                assert any(path.startswith(str(location)) for path in opened), opened
            # The server keeps the store open, so no other kg process writes into it meanwhile.
            with pytest.raises(StoreError, match="another kg process"):
                open_dataset(f"oxigraph:{location}")
            for name in ("warnings", "reciprocity"):
                text = sparql.query_text(name)
                status, _, body = request(served, "POST", body=text, headers={
                    "Content-Type": "application/sparql-query"})
                assert status == 200, body
                expected = sparql.rows(sparql.run(memory_dataset, text))
                assert _named_rows(body) == sorted(json.dumps(r, sort_keys=True)
                                                   for r in expected), name
            _, _, body = request(served, params={"query": WHO_SAYS})
            assert {"g": str(AP_GRAPH), "claim": str(AP_CLAIM)} in _rows(body)
            # GRAPH ?g sees what the service description lists: on disk, that includes the
            # build's manifest, which is in the store.
            _, _, body = request(served)
            described = {str(o) for o in Graph().parse(data=body, format="turtle").objects(
                None, URIRef(SD + "name"))}
            _, _, body = request(served, params={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
            assert {r["g"] for r in _rows(body)} == described
            assert {str(AP_GRAPH), str(MANIFEST)} <= described
    finally:
        close(built.dataset)


# --- pages ----------------------------------------------------------------------------------

def _examples(page: str) -> list[dict[str, str]]:
    found = re.search(r'<script type="application/json" id="examples">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("path", ["/", "/query"])
def test_query_page_is_offline_and_offers_the_named_queries(endpoint, path):
    status, headers, body = request(endpoint, path=path)
    page = body.decode()
    assert status == 200 and headers.get_content_type() == "text/html"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    examples = {e["name"]: e for e in _examples(page)}
    assert set(sparql.named_queries()) < set(examples)
    assert examples["reciprocity"]["description"] == sparql.describe("reciprocity")
    status, headers, script = request(endpoint, path="/static/query.js")
    assert status == 200  # the script asks this server, and nothing else
    assert re.findall(rb"fetch\(([^,]+),", script) == [b'"sparql"']
    assert b"XMLHttpRequest" not in script and b"import(" not in script


def test_query_page_escapes_what_it_shows(endpoint):
    _, _, body = request(endpoint, path="/")
    page = body.decode()
    assert "</script><script>alert" not in page and "<b>bold" not in page
    hostile = {e["name"]: e for e in _examples(page)}["zz-hostile"]
    assert hostile["query"] == HOSTILE
    assert hostile["description"] == '</script><script>alert("x")</script> & <b>bold</b>'


def test_query_page_without_named_queries(tmp_path):
    page = query_page(example_queries(tmp_path / "none"), Limits())
    assert _examples(page) == [] and "{{" not in page


def test_explorer_until_built_and_after(endpoint, pages):
    status, headers, body = request(endpoint, path="/explorer")
    assert status == 404 and b"kg build" in body
    pages["explorer"] = "<!DOCTYPE html><title>explorer</title>"
    try:
        status, headers, body = request(endpoint, path="/explorer")
        assert (status, body) == (200, b"<!DOCTYPE html><title>explorer</title>")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
    finally:
        pages["explorer"] = None


def test_cors_preflight(endpoint):
    status, headers, _ = request(endpoint, "OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]


# --- load: 8 clients x 200 queries ----------------------------------------------------------

def test_load_8_clients_x_200_named_queries(endpoint):
    names = sorted(sparql.named_queries())
    texts = {name: sparql.query_text(name) for name in names}
    golden = {name: sorted(json.dumps(r, sort_keys=True) for r in
                           json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8")))
              for name in names}
    host, port = urllib.parse.urlsplit(endpoint.base_url).netloc.rsplit(":", 1)
    errors: list[str] = []
    answered = [0] * 8
    deadline = time.monotonic() + 600  # bounded in time as well as in count

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            conn.connect()  # no Nagle delay between headers and body, as urllib3 does
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(200):
                if time.monotonic() > deadline:
                    errors.append(f"client {number}: gave up after 600 s at query {i}")
                    return
                name = names[(number + i) % len(names)]
                conn.request("POST", "/sparql", body=texts[name].encode(), headers={
                    "Content-Type": "application/sparql-query"})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    errors.append(f"{name}: {response.status} {body[:200]!r}")
                    continue
                result = Result.parse(io.BytesIO(body), format="json")
                rows = sorted(json.dumps(r, sort_keys=True) for r in sparql.rows(result))
                if rows != golden[name]:
                    errors.append(f"{name}: answer differs from tests/golden/{name}.json")
                answered[number] += 1
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"client {number}: {exc!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answered == [200] * 8
    still_answers(endpoint)


# --- the command ----------------------------------------------------------------------------

def test_kg_serve_command_serves_until_interrupted():
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--data", str(DATA), "--port", "0", "--workers",
         "1"], stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)
    try:
        lines = (process.stderr.readline() for _ in range(50))
        url = next(found.group(1) for line in lines
                   if (found := re.search(r"at (http://127\.0\.0\.1:\d+/sparql)", line)))
        query = urllib.parse.urlencode({"query": ASK})
        with urllib.request.urlopen(f"{url}?{query}", timeout=60) as response:
            assert json.loads(response.read())["boolean"] is True
        with urllib.request.urlopen(url.replace("/sparql", "/explorer"), timeout=60) as response:
            assert response.read().startswith(b"<!DOCTYPE html>")  # kg.html's page
    finally:
        process.send_signal(signal.SIGINT)
        process.stderr.close()
        assert process.wait(60) == 0


def test_kg_serve_reports_a_busy_port():
    from click.testing import CliRunner

    from kg.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--data", str(DATA), "--port", str(port)])
    assert result.exit_code == 1
    assert f"kg: cannot listen on 127.0.0.1:{port}" in result.stderr


# --- the gate reads what the engine runs ----------------------------------------------------

def _listener() -> socket.socket:
    """A local TCP port that records whether anything connected (a SERVICE fetch)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.3)
    return sock


def _contacted(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


def smuggled(url: str) -> dict[str, tuple[str, int, str]]:
    """Queries whose SERVICE one parser sees and the other does not -> (text, status, what
    the answer must hold: part of a refusal, or the rows of a JSON answer)."""
    return {
        # Oxigraph ends a comment at a lone CR, rdflib does not.
        "lone CR": (f"SELECT * WHERE {{ # c\rSERVICE <{url}> {{ ?s ?p ?o }}\n}}", 400,
                    "carriage return"),
        "escaped CR": (f"SELECT * WHERE {{ # c\\u000DSERVICE <{url}> {{ ?s ?p ?o }}\n}}",
                       400, "carriage return"),
        # rdflib expands \u0022 before parsing (a quote: the string closes, a comment
        # starts); Oxigraph only inside the string. Both must now read rdflib's reading.
        "escaped quote": ('SELECT * WHERE { BIND("\\u0022 # " AS ?x) SERVICE <' + url
                          + '> { ?s ?p ?o } BIND("""\n AS ?x) } # """ AS ?y) }', 200,
                          json.dumps([{"x": ""}])),
    }


def _holds(body: bytes, expected: str) -> bool:
    if expected.startswith("["):
        return _rows(body) == json.loads(expected)
    return expected in body.decode()


@pytest.mark.parametrize("case", ["lone CR", "escaped CR", "escaped quote"])
def test_service_cannot_be_smuggled_past_the_gate(endpoint, case):
    with _listener() as service:
        text, status, expected = smuggled(f"http://127.0.0.1:{service.getsockname()[1]}/x")[case]
        got, _, body = request(endpoint, "POST", body=text, headers={
            "Content-Type": "application/sparql-query"})
        assert (got, _holds(body, expected)) == (status, True), body
        assert not _contacted(service)
    still_answers(endpoint)


DENY_ISOLATION = ("import kg.serve.workers as w; w._isolate_network = lambda: False; "
                  "w.worker_main()")


def test_no_service_runs_where_workers_cannot_be_isolated(dataset, monkeypatch):
    # As in a container whose seccomp or AppArmor profile refuses unshare(): the server
    # says so at start, and the gate alone must still keep every SERVICE from running.
    monkeypatch.setattr(workers, "_WORKER_CODE", DENY_ISOLATION)
    said: list[str] = []
    with start(dataset, "127.0.0.1", 0, workers=1, limits=Limits(timeout=5),
               log=said.append) as exposed:
        assert exposed.network_isolated is False
        assert workers.NOT_ISOLATED in said
        ours = os.readlink("/proc/self/ns/net")
        assert all(os.readlink(f"/proc/{pid}/ns/net") == ours for pid in exposed.worker_pids())
        for case in ("lone CR", "escaped CR", "escaped quote", "plain"):
            with _listener() as service:
                url = f"http://127.0.0.1:{service.getsockname()[1]}/x"
                text, status, expected = smuggled(url).get(case, (
                    f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 403, "SERVICE"))
                got, _, body = request(exposed, params={"query": text})
                assert (got, _holds(body, expected)) == (status, True), (case, body)
                assert not _contacted(service), case


#: Worker code with a fault of ours planted: evaluating any query raises.
PLANTED_FAULT = ("import kg.serve.protocol as p\n"
                 "def broken(*args, **kwargs):\n"
                 "    raise RuntimeError('planted fault: no query could cause this')\n"
                 "p.canonical = broken\n"
                 "from kg.serve.workers import worker_main; worker_main()")


def test_a_fault_of_ours_is_logged_with_an_id_and_answered_as_a_server_error(
        dataset, monkeypatch, capfd):
    monkeypatch.setattr(workers, "_WORKER_CODE", PLANTED_FAULT)
    with start(dataset, "127.0.0.1", 0, workers=1, limits=Limits(timeout=30)) as exposed:
        status, headers, body = request(exposed, params={"query": ASK})
        again, _, second = request(exposed, params={"query": ASK})
    text = body.decode()
    assert status == again == 500
    assert headers["Content-Type"].startswith("text/plain")
    assert "fault of the server, not of the query" in text
    ident = re.search(r"internal server error ([0-9a-f]{8})", text).group(1)
    assert ident not in second.decode(), "each fault has an id of its own"
    log = capfd.readouterr().err
    assert f"kg serve: internal error {ident}" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: planted fault" in log
    assert "planted fault" not in text, "the client is not shown our traceback"


def test_a_fault_outside_a_query_is_answered_and_logged_the_same_way(
        dataset, monkeypatch, capfd):
    # The service description is made in the server, not in a worker.
    import kg.serve.web as web

    def broken(*args, **kwargs):
        raise RuntimeError("planted fault in the service description")

    monkeypatch.setattr(web, "service_description", broken)
    with start(dataset, "127.0.0.1", 0, workers=1) as exposed:
        status, _, body = request(exposed)
    text = body.decode()
    assert status == 500 and "fault of the server, not of the query" in text
    ident = re.search(r"internal server error ([0-9a-f]{8})", text).group(1)
    log = capfd.readouterr().err
    assert f"kg serve: internal error {ident} on GET '/sparql'" in log
    assert "RuntimeError: planted fault in the service description" in log
    assert "planted fault" not in text


def test_an_answer_that_raises_unexpectedly_says_so_and_keeps_the_traceback(monkeypatch):
    from rdflib import Dataset

    from kg.serve import protocol

    def broken(*args):
        raise KeyError("a bug")

    monkeypatch.setattr(protocol, "canonical", broken)
    reply = protocol.answer(Dataset(), protocol.QueryRequest("ASK {}"))
    ident, _, trace = reply.fault.partition(" ")
    assert reply.status == 500 and ident in reply.body.decode()
    assert "KeyError: 'a bug'" in trace and "broken" in trace


# --- HTTP and the protocol's error cases ----------------------------------------------------

@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "BREW"])
def test_other_methods_get_405_with_allow_as_text(endpoint, method):
    for path in ("/sparql", "/"):
        status, headers, body = request(endpoint, method, path, params={"query": ASK})
        assert status == 405 and headers.get_content_type() == "text/plain", body
        assert "GET" in headers["Allow"] and method.encode() in body
    still_answers(endpoint)


def test_head_answers_like_get_without_a_body(endpoint):
    status, headers, body = request(endpoint, "HEAD", params={"query": ASK})
    assert (status, body) == (200, b"")
    assert headers.get_content_type() == "application/sparql-results+json"
    assert int(headers["Content-Length"]) > 0
    still_answers(endpoint)


def test_the_servers_own_refusals_are_text_too(endpoint):
    status, headers, body = request(endpoint, params={"query": "ASK {}" + " " * 70_000})
    assert status == 414 and headers.get_content_type() == "text/plain"
    assert b"POST" in body and b"<" not in body
    status, headers, body = request(endpoint, headers={"X-Big": "x" * 70_000})
    assert status == 431 and headers.get_content_type() == "text/plain", body
    still_answers(endpoint)


def test_server_header_does_not_name_python(endpoint):
    _, headers, _ = request(endpoint, params={"query": ASK})
    assert headers["Server"] == "kg-serve"


def test_sparql_with_a_trailing_slash_is_the_endpoint(endpoint):
    status, _, body = request(endpoint, path="/sparql/", params={"query": ASK})
    assert (status, json.loads(body)["boolean"]) == (200, True)


def test_conflicting_content_lengths_are_refused(endpoint):
    host, port = urllib.parse.urlsplit(endpoint.base_url).netloc.rsplit(":", 1)
    body = urllib.parse.urlencode({"query": ASK}).encode()
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\nContent-Length: 5\r\n\r\n" % len(body) + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0]
    assert head.startswith(b"HTTP/1.1 400") and b"Connection: close" in head, answer
    assert b"conflicting Content-Length" in answer
    still_answers(endpoint)


def test_explorer_cannot_be_framed(endpoint, pages):
    pages["explorer"] = "<!DOCTYPE html><title>explorer</title>"
    try:
        _, headers, _ = request(endpoint, path="/explorer")
    finally:
        pages["explorer"] = None
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("charset", ["UTF-16", "iso-8859-1"])
def test_a_body_not_in_utf8_is_refused(endpoint, charset):
    for ctype, body in [("application/sparql-query", ASK),
                        ("application/x-www-form-urlencoded", urllib.parse.urlencode(
                            {"query": ASK}))]:
        status, headers, text = request(endpoint, "POST", body=body.encode(charset.lower()),
                                        headers={"Content-Type": f"{ctype}; charset={charset}"})
        assert status == 415 and headers.get_content_type() == "text/plain", text
        assert b"UTF-8" in text
    status, _, _ = request(endpoint, "POST", body=ASK, headers={
        "Content-Type": "application/sparql-query; charset=utf-8"})
    assert status == 200


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    status, _, body = request(endpoint, params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                              headers={"Accept": "application/n-triples"})
    assert status == 200, body
    base = endpoint.base_url
    assert set(Graph().parse(data=body, format="nt")) == {
        (URIRef(f"{base}/s"), URIRef(f"{base}/p"), Literal(1))}


def test_codepoint_escapes_take_four_digits_after_backslash_u(endpoint):
    status, _, body = request(endpoint, params={"query": 'SELECT ("\\u00410042" AS ?x) {}'})
    assert status == 200, body
    assert _rows(body) == [{"x": "A0042"}]
    status, _, body = request(endpoint, params={"query": 'SELECT ("\\U0001F600" AS ?x) {}'})
    assert _rows(body) == [{"x": "\U0001F600"}]
    status, _, body = request(endpoint, params={"query": 'SELECT ("\\uD800" AS ?x) {}'})
    assert status == 400 and b"not a Unicode character" in body
    # rdflib would read "\U0041" (and "\u0041" made by "\u005Cu0041"); Oxigraph would not.
    for text in ('SELECT ("\\U0041" AS ?x) {}', 'SELECT ("\\u005Cu0041" AS ?x) {}'):
        status, _, body = request(endpoint, params={"query": text})
        assert status == 400 and b"both parsers read alike" in body, body


def test_a_tiny_timeout_is_refused_without_ending_a_worker(endpoint):
    before = endpoint.worker_pids()
    for timeout in ("1e-9", "0.01", "0"):
        status, _, body = request(endpoint, params={"query": ASK, "timeout": timeout})
        assert status == 400 and b"from 1 to 60" in body, body
    assert endpoint.worker_pids() == before
    status, _, _ = request(endpoint, params={"query": ASK, "timeout": "1"})
    assert status == 200


def test_the_default_graph_holds_each_triple_once(endpoint, memory_dataset):
    # The Crocus warning is a kg:Warning in four sources' graphs: one triple, once.
    query = f"SELECT ?t WHERE {{ <{CROCUS_WARNING}> a ?t }}"
    _, _, body = request(endpoint, params={"query": query})
    types = [r["t"] for r in _rows(body)]
    assert types.count(str(KG.Warning)) == 1 and len(types) == len(set(types))
    # So do several graphs merged by FROM or default-graph-uri.
    for params in ({"query": query.replace("WHERE", f"FROM <{AP_GRAPH}> FROM <{RFI_GRAPH}> "
                                           "WHERE")},
                   {"query": query, "default-graph-uri": [str(AP_GRAPH), str(RFI_GRAPH)]}):
        _, _, body = request(endpoint, params=params)
        assert _rows(body) == [{"t": str(KG.Warning)}]
    distinct = {t for g in memory_dataset.graphs() for t in g}
    _, _, body = request(endpoint, params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert _rows(body) == [{"n": str(len(distinct))}]
    _, _, body = request(endpoint)  # the service description says the same
    description = Graph().parse(data=body, format="turtle")
    [default] = description.objects(None, URIRef(SD + "defaultGraph"))
    assert description.value(default, URIRef("http://rdfs.org/ns/void#triples")).toPython() \
        == len(distinct)


def test_xml_results_keep_zero_false_and_empty(endpoint):
    # rdflib's SPARQLStore reads XML by default: 0, false and 0.0 must not come back empty.
    query = 'SELECT ?i ?b ?d ?s WHERE { BIND(0 AS ?i) BIND(false AS ?b) BIND(0.0 AS ?d) ' \
            'BIND("" AS ?s) }'
    status, _, body = request(endpoint, params={"query": query}, headers={
        "Accept": "application/sparql-results+xml"})
    assert status == 200, body
    [row] = list(Result.parse(io.BytesIO(body), format="xml"))
    assert [term.toPython() for term in row] == [0, False, 0, ""]
    assert [str(term) for term in row][:2] == ["0", "false"] and str(row.d) in ("0", "0.0")
    remote = Dataset(store=SPARQLStore(endpoint.url), default_union=True)
    [row] = list(remote.query(query))
    assert [term.toPython() for term in row] == [0, False, 0, ""] and str(row.d) != ""


def _temp_dirs(where: Path) -> list[Path]:
    return sorted(where.glob("kg-serve-*"))


@pytest.mark.parametrize("when", ["while the workers start", "while serving"])
def test_sigterm_leaves_no_temporary_file(tmp_path, when):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--data", str(DATA), "--port", "0", "--workers",
         "1"], stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, start_new_session=True)
    try:
        if when == "while serving":
            lines = (process.stderr.readline() for _ in range(50))
            assert any("/sparql" in line for line in lines)
        deadline = time.monotonic() + 120
        while not _temp_dirs(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _temp_dirs(tmp_path), "the server wrote no data file for its workers"
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert _temp_dirs(tmp_path) == []
