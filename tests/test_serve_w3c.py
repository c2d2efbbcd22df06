"""The W3C SPARQL 1.1 Protocol test suite (``sparql11/protocol/manifest.ttl``), adapted.

Each test is named after the W3C test it adapts. The W3C cases load remote data
(``http://kasei.us/2009/09/sparql/data/data1.rdf`` ...), which this endpoint refuses by
design (nothing is fetched), so they name this dataset's own graphs instead: one source's
graph for ``data1``, another's for ``data2``, a third for ``data3``. The update cases
expect a success from an endpoint that accepts updates; this one is read-only, so each
must be refused with a 4xx that says so, and the data must not change.

Both engines are run: Oxigraph's (the default store) and rdflib's (``--store memory``).
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from rdflib import Graph

import kg
from kg.serve import Limits, start

from .conftest import DATA
from .iris import AP_GRAPH, CLAIM, CROCUS_WARNING, KG, OUTREACH_GRAPH, RFI_GRAPH
from .test_serve import request

DATA1, DATA2, DATA3 = str(AP_GRAPH), str(RFI_GRAPH), str(OUTREACH_GRAPH)
IN_DATA1 = f"<{CLAIM['ap-us-warns-russia-crocus']}> <{KG.asserts}> <{CROCUS_WARNING}>"
IN_DATA2 = f"<{CLAIM['rfi-us-warns-russia-crocus']}> <{KG.asserts}> <{CROCUS_WARNING}>"
IN_DATA3 = f"<{CLAIM['out-us-warns-russia-crocus']}> <{KG.asserts}> <{CROCUS_WARNING}>"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json",
             "application/rdf+xml"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def endpoint(request, dataset):
    served = dataset if request.param == "oxigraph" else kg.load(
        DATA, store="memory", shapes=False).dataset
    with start(served, "127.0.0.1", 0, workers=1, limits=Limits(timeout=60)) as running:
        yield running


def form(**fields: str | list[str]) -> str:
    return urllib.parse.urlencode(fields, doseq=True)


def ask(endpoint, method="GET", params=None, body=None, ctype=None) -> bool:
    """An ASK that must succeed with a SPARQL results type; its answer."""
    status, headers, data = request(endpoint, method, params=params, body=body,
                                    headers={"Content-Type": ctype} if ctype else None)
    assert status == 200, data
    assert headers.get_content_type() in RESULT_TYPES
    return json.loads(data)["boolean"]


def refused(endpoint, method="GET", params=None, body=None, headers=None) -> str:
    """A request that must get a 4xx in plain text; its message."""
    status, got, data = request(endpoint, method, params=params, body=body, headers=headers)
    assert 400 <= status < 500, (status, data)
    assert got.get_content_type() == "text/plain"
    return data.decode()


def unchanged(endpoint, before: bytes) -> None:
    status, _, after = request(endpoint, params={"query": COUNT})
    assert (status, after) == (200, before)


@pytest.fixture
def size(endpoint) -> bytes:
    """The dataset's size before an update is tried (it must be the same after)."""
    return request(endpoint, params={"query": COUNT})[2]


# --- queries --------------------------------------------------------------------------------

def test_query_get(endpoint):
    assert ask(endpoint, params={"query": "ASK {}"}) is True


def test_query_post_form(endpoint):
    assert ask(endpoint, "POST", body=form(query="ASK {}"), ctype=FORM) is True


def test_query_post_direct(endpoint):
    assert ask(endpoint, "POST", body="ASK {}", ctype=DIRECT) is True


def test_query_dataset_default_graph(endpoint):
    # POST direct, the default graph named in the URL's query string.
    status, _, data = request(endpoint, "POST", params={"default-graph-uri": DATA1},
                              body=f"ASK {{ {IN_DATA1} }}", headers={"Content-Type": DIRECT})
    assert status == 200 and json.loads(data)["boolean"] is True
    status, _, data = request(endpoint, "POST", params={"default-graph-uri": DATA2},
                              body=f"ASK {{ {IN_DATA1} }}", headers={"Content-Type": DIRECT})
    assert status == 200 and json.loads(data)["boolean"] is False


def test_query_dataset_default_graphs_get(endpoint):
    both = f"ASK {{ {IN_DATA1} . {IN_DATA2} }}"
    assert ask(endpoint, params={"query": both, "default-graph-uri": [DATA1, DATA2]}) is True
    assert ask(endpoint, params={"query": both, "default-graph-uri": DATA1}) is False


def test_query_dataset_default_graphs_post(endpoint):
    both = f"ASK {{ {IN_DATA1} . {IN_DATA2} }}"
    body = form(query=both, **{"default-graph-uri": [DATA1, DATA2]})
    assert ask(endpoint, "POST", body=body, ctype=FORM) is True


def test_query_dataset_named_graphs_post(endpoint):
    query = f"ASK {{ GRAPH ?g1 {{ {IN_DATA1} }} GRAPH ?g2 {{ {IN_DATA2} }} }}"
    body = form(query=query, **{"named-graph-uri": [DATA1, DATA2]})
    assert ask(endpoint, "POST", body=body, ctype=FORM) is True
    body = form(query=query, **{"named-graph-uri": [DATA1, DATA3]})
    assert ask(endpoint, "POST", body=body, ctype=FORM) is False


def test_query_dataset_named_graphs_get(endpoint):
    query = f"ASK {{ GRAPH ?g1 {{ {IN_DATA1} }} GRAPH ?g2 {{ {IN_DATA2} }} }}"
    assert ask(endpoint, params={"query": query, "named-graph-uri": [DATA1, DATA2]}) is True


def test_query_dataset_full(endpoint):
    # The default graph is data3, the named graphs data1 and data2.
    query = (f"SELECT DISTINCT ?g WHERE {{ {IN_DATA3} . "
             f"GRAPH ?g {{ ?claim <{KG.asserts}> <{CROCUS_WARNING}> }} }}")
    status, headers, data = request(endpoint, params={
        "query": query, "default-graph-uri": DATA3, "named-graph-uri": [DATA1, DATA2]})
    assert status == 200 and headers.get_content_type() in RESULT_TYPES
    found = {b["g"]["value"] for b in json.loads(data)["results"]["bindings"]}
    assert found == {DATA1, DATA2}


def test_query_multiple_dataset(endpoint):
    # The protocol's dataset wins over the query's own FROM.
    query = f"ASK FROM <{DATA3}> {{ GRAPH <{DATA1}> {{ {IN_DATA1} }} }}"
    assert ask(endpoint, params={"query": query, "named-graph-uri": DATA1}) is True
    assert ask(endpoint, params={"query": query}) is False  # FROM alone: no named graphs


def _content_types(endpoint, query):
    for accept in sorted(RESULT_TYPES) + [""]:
        status, headers, _ = request(endpoint, params={"query": query},
                                     headers={"Accept": accept} if accept else None)
        assert status == 200
        assert headers.get_content_type() == (accept or "application/sparql-results+json")


def test_query_content_type_select(endpoint):
    _content_types(endpoint, f"SELECT ?claim WHERE {{ ?claim <{KG.asserts}> ?w }}")


def test_query_content_type_ask(endpoint):
    _content_types(endpoint, "ASK {}")


def test_query_content_type_describe(endpoint):
    status, headers, data = request(endpoint, params={"query": f"DESCRIBE <{CROCUS_WARNING}>"})
    assert status == 200 and headers.get_content_type() in RDF_TYPES
    assert (CROCUS_WARNING, None, None) in Graph().parse(data=data, format="turtle")


def test_query_content_type_construct(endpoint):
    status, headers, data = request(endpoint, params={
        "query": "CONSTRUCT { <s> <p> 1 } WHERE {}"})
    assert status == 200 and headers.get_content_type() in RDF_TYPES, data
    assert len(Graph().parse(data=data, format="turtle")) == 1


# --- query errors ---------------------------------------------------------------------------

def test_bad_query_method(endpoint):
    status, headers, _ = request(endpoint, "PUT", params={"query": "ASK {}"})
    assert status == 405 and "POST" in headers["Allow"]
    assert headers.get_content_type() == "text/plain"


def test_bad_multiple_queries(endpoint):
    assert "exactly one" in refused(endpoint, params={"query": ["ASK {}", "SELECT * {}"]})


def test_bad_query_wrong_media_type(endpoint):
    assert "application/sparql-query" in refused(
        endpoint, "POST", body="ASK {}", headers={"Content-Type": "text/plain"})


def test_bad_query_missing_form_type(endpoint):
    refused(endpoint, "POST", body=form(query="ASK {}"))


def test_bad_query_missing_direct_type(endpoint):
    refused(endpoint, "POST", body="ASK {}")


def test_bad_query_non_utf8(endpoint):
    assert "UTF-8" in refused(endpoint, "POST", body="ASK {}".encode("utf-16"), headers={
        "Content-Type": "application/sparql-query; charset=UTF-16"})


def test_bad_query_syntax(endpoint):
    assert "malformed query" in refused(endpoint, params={"query": "ASK {"})


# --- updates: a read-only endpoint refuses them all, and nothing changes --------------------

UPDATE = f"INSERT DATA {{ GRAPH <{DATA1}> {{ <urn:x> <urn:p> <urn:o> }} }}"


def test_update_dataset_default_graph(endpoint, size):
    refused(endpoint, "POST", params={"using-graph-uri": DATA1},
            body=f"DELETE {{ ?s ?p ?o }} WHERE {{ {IN_DATA1} }}",
            headers={"Content-Type": "application/sparql-update"})
    unchanged(endpoint, size)


def test_update_dataset_default_graphs(endpoint, size):
    refused(endpoint, "POST", body=form(update="DELETE WHERE { ?s ?p ?o }", **{
        "using-graph-uri": [DATA1, DATA2]}), headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_update_dataset_named_graphs(endpoint, size):
    refused(endpoint, "POST", body=form(update="DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", **{
        "using-named-graph-uri": [DATA1, DATA2]}), headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_update_dataset_full(endpoint, size):
    refused(endpoint, "POST", body=form(update="CLEAR ALL", **{
        "using-graph-uri": DATA3, "using-named-graph-uri": [DATA1, DATA2]}),
        headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_update_post_form(endpoint, size):
    assert "read-only" in refused(endpoint, "POST", body=form(update=UPDATE),
                                  headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_update_post_direct(endpoint, size):
    assert "read-only" in refused(endpoint, "POST", body=UPDATE,
                                  headers={"Content-Type": "application/sparql-update"})
    unchanged(endpoint, size)


def test_update_base_uri(endpoint, size):
    refused(endpoint, "POST", body="BASE <http://example.org/> INSERT DATA { <s> <p> 1 }",
            headers={"Content-Type": "application/sparql-update"})
    unchanged(endpoint, size)


def test_bad_update_get(endpoint, size):
    assert "read-only" in refused(endpoint, params={"update": "CLEAR ALL"})
    unchanged(endpoint, size)


def test_bad_multiple_updates(endpoint, size):
    refused(endpoint, "POST", body=form(update=["CLEAR NAMED", "CLEAR DEFAULT"]),
            headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_bad_update_wrong_media_type(endpoint, size):
    refused(endpoint, "POST", body="CLEAR NAMED", headers={"Content-Type": "text/plain"})
    unchanged(endpoint, size)


def test_bad_update_missing_form_type(endpoint, size):
    refused(endpoint, "POST", body=form(update="CLEAR NAMED"))
    unchanged(endpoint, size)


def test_bad_update_non_utf8(endpoint, size):
    refused(endpoint, "POST", body="CLEAR NAMED".encode("utf-16"),
            headers={"Content-Type": "application/sparql-update; charset=UTF-16"})
    unchanged(endpoint, size)


def test_bad_update_syntax(endpoint, size):
    refused(endpoint, "POST", body=form(update="CLEAR XYZ"), headers={"Content-Type": FORM})
    unchanged(endpoint, size)


def test_bad_update_dataset_conflict(endpoint, size):
    refused(endpoint, "POST", params={"using-graph-uri": DATA1},
            body=f"DELETE {{ ?s ?p ?o }} USING <{DATA2}> WHERE {{ ?s ?p ?o }}",
            headers={"Content-Type": "application/sparql-update"})
    unchanged(endpoint, size)
