"""The endpoint's SPARQL 1.1 Service Description: what it answers, in which formats, with
which limits, and which graphs it holds (each source's named graph names its source)."""

from __future__ import annotations

from rdflib import RDF, RDFS, VOID, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import BNode, Literal

from ..iri import graph_iri, local_id, source_iri
from .protocol import Limits
from .results import (
    CSV,
    GRAPH_TYPES,
    JSON,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SELECT_TYPES,
    TSV,
    TURTLE,
    XML,
)

_SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_W3C_FORMATS = {JSON: "SPARQL_Results_JSON", XML: "SPARQL_Results_XML", CSV: "SPARQL_Results_CSV",
                TSV: "SPARQL_Results_TSV", TURTLE: "Turtle", NTRIPLES: "N-Triples",
                JSONLD: "JSON-LD", RDFXML: "RDF_XML"}


def service_description(endpoint: str, graphs: dict[str, int], union_size: int,
                        limits: Limits) -> Graph:
    """A SPARQL 1.1 Service Description of the endpoint and its dataset.

    Each source's named graph says which source it holds (``dcterms:source``, as the
    reference graph does in the data).
    """
    sd = Graph()
    sd.bind("dcterms", DCTERMS)
    sd.bind("sd", _SD)
    sd.bind("void", VOID)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    sd.add((service, RDF.type, _SD.Service))
    sd.add((service, _SD.endpoint, service))
    sd.add((service, _SD.supportedLanguage, _SD.SPARQL11Query))
    sd.add((service, _SD.feature, _SD.UnionDefaultGraph))
    for media in SELECT_TYPES + GRAPH_TYPES:
        sd.add((service, _SD.resultFormat, _FORMATS[_W3C_FORMATS[media]]))
    sd.add((service, RDFS.comment, Literal(
        "Read-only: SPARQL Update, LOAD and SERVICE are refused (403). Limits: "
        f"{limits.timeout:g} s per query (422), {limits.max_results} rows or triples per "
        "result (413). The default graph is the union of the named graphs.", lang="en")))
    sd.add((service, _SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, _SD.Dataset))
    sd.add((dataset, _SD.defaultGraph, default))
    sd.add((default, RDF.type, _SD.Graph))
    sd.add((default, VOID.triples, Literal(union_size)))
    for name, size in sorted(graphs.items()):
        named, graph = BNode(), BNode()
        sd.add((dataset, _SD.namedGraph, named))
        sd.add((named, RDF.type, _SD.NamedGraph))
        sd.add((named, _SD.name, URIRef(name)))
        sd.add((named, _SD.graph, graph))
        sd.add((graph, RDF.type, _SD.Graph))
        sd.add((graph, VOID.triples, Literal(size)))
        held = local_id(name)
        if name == str(graph_iri(held)) and held not in ("ontology", "reference"):
            sd.add((graph, DCTERMS.source, source_iri(held)))
    return sd
