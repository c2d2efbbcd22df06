"""The commands that make, check, query, export and serve the graph."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from ..rows import QueryRow, shape
from .answering import emit, from_build, kept_sources
from .options import (
    data_option,
    format_option,
    handle_errors,
    out_option,
    output_options,
    read_store_option,
    selection_options,
    stale_option,
    store_option,
)


@click.command()
@data_option
@store_option
@out_option
@click.option("--with-extracted", is_flag=True,
              help="Add machine-extracted claims (kg extract) for sources that have no curated "
                   "claims; they are marked kg:method kg:Extracted.")
@click.option("--keep-answers", is_flag=True,
              help="With an on-disk store (--store oxigraph:PATH): answer the questions now and "
                   "keep the answers beside the store, so the first `kg warnings` (etc.) after "
                   "the build is as fast as the next ones. Costs build time at scale.")
@handle_errors
def build(data_dir: Path, store: Any, out_dir: Path, with_extracted: bool,
          keep_answers: bool) -> None:
    """Build the graph from DATA and write TriG, Turtle, JSON-LD, N-Quads, HTML and a report.

    Checks every quote against its source, every reference, and the SHACL shapes;
    on any problem prints them all as file:line and leaves OUT untouched.

    \b
    Example:
      kg build --data data --out out
    """
    from ..pipeline import build as run_build

    start = time.perf_counter()
    built = run_build(data_dir, out_dir, store=store, with_extracted=with_extracted)
    summary = built.summary()
    click.echo(f"Built {out_dir}/ from {data_dir}/ in {time.perf_counter() - start:.2f}s: "
               f"{summary['sources']} sources, {summary['entities']} entities, "
               f"{summary['claims']} claims, {summary['quotes']} quotes verified, "
               f"{summary['triples']} triples.")
    kinds = ", ".join(f"{k.split('.', 1)[1]} {v}" for k, v in summary.items()
                      if k.startswith("claims."))
    click.echo(f"Claims by kind: {kinds}.")
    from ..stores import close

    try:
        if keep_answers:
            _keep_answers(built.dataset, store)
    finally:
        close(built.dataset)  # an on-disk store's lock is freed for the next command
    names = sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name[0] != ".")
    click.echo(f"Wrote: {', '.join(names)}")
    if built.written is not None:
        click.echo(f"Store {store}: {len(built.written)} graph(s) rewritten"
                   + (f" ({', '.join(built.written)})" if built.written else
                      ", the rest unchanged") + ".")


def _keep_answers(dataset: Any, store: Any) -> None:
    """Answer every question that takes no name (``kg.answers.AHEAD``) and keep the answers."""
    from ..answers import AHEAD, ask
    from ..stores import spec_of

    spec = spec_of(dataset)
    if spec is None or spec.kind != "oxigraph" or spec.location is None:
        click.echo(f"kg: --keep-answers keeps answers only beside an on-disk store "
                   f"(--store oxigraph:PATH), not {store}; nothing kept.", err=True)
        return
    start = time.perf_counter()
    for question, *args in AHEAD:
        ask(dataset, question, *args)
    click.echo(f"Kept {len(AHEAD)} answers beside the store in "
               f"{time.perf_counter() - start:.2f}s.")


@click.command()
@data_option
@store_option
@handle_errors
def validate(data_dir: Path, store: Any) -> None:
    """Check DATA without writing anything: quotes, references, SHACL shapes.

    Exits 1 and lists every problem as file:line: message if any is found.

    \b
    Example:
      kg validate --data data
    """
    from ..pipeline import load

    built = load(data_dir, store=store)
    summary = built.summary()
    click.echo(f"{data_dir}/ is valid: {summary['claims']} claims, {summary['quotes']} quotes "
               f"verified in {summary['sources']} sources.")



@click.command()
@click.argument("query")
@data_option
@read_store_option
@format_option
@output_options()
@handle_errors
def sparql(query: str, data_dir: Path, store: Any, fmt: str) -> None:
    """Run SPARQL: a named query (see `kg queries`), a .rq file, or the query text.

    Named graphs are visible to GRAPH ?g (one per source); the default graph is
    their union, each triple once (RDF merge). Prefixes kg:, rdfs:, prov:, dcterms:,
    skos:, owl:, org: and xsd: are predeclared. CONSTRUCT/DESCRIBE print Turtle.

    \b
    Example:
      kg sparql reciprocity
      kg sparql 'SELECT ?s WHERE { ?s a kg:Warning }' --format json
    """
    from ..sparql import query_text, run
    from ..stores import close

    text = query_text(query)
    dataset = from_build(data_dir, store).dataset
    try:
        _print_result(run(dataset, text), fmt)
    finally:
        close(dataset)


def _print_result(result: Any, fmt: str) -> None:
    """A SPARQL result: ASK true/false, CONSTRUCT/DESCRIBE as Turtle, SELECT as rows."""
    from ..sparql import rows

    if result.type == "ASK":
        click.echo("true" if result.askAnswer else "false")
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        from ..build import bind_prefixes

        bind_prefixes(result.graph)
        click.echo(result.graph.serialize(format="turtle"), nl=False)
    else:
        emit(rows(result), [str(v) for v in result.vars or ()], fmt)


@click.command()
@format_option
@output_options()
@handle_errors
def queries(fmt: str) -> None:
    """List the named SPARQL queries and the question each answers.

    \b
    Example:
      kg queries
    """
    from ..sparql import describe, named_queries

    rows = [{"name": name, "question": describe(name), "file": f"kg/queries/{path.name}"}
            for name, path in named_queries().items()]
    emit(rows, shape(QueryRow), fmt)


@click.command()
@data_option
@read_store_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "nquads"]),
              required=True, help="graphml/gexf for Gephi or Cytoscape, csv for spreadsheets "
                                  "(nodes.csv + edges.csv), nquads for triple stores.")
@out_option
@click.option("--level", type=click.Choice(["state", "actor"]), default="actor",
              show_default=True, help="state: roll agencies and officials up to their state.")
@handle_errors
def export(data_dir: Path, store: Any, fmt: str, out_dir: Path, level: str) -> None:
    """Export the graph for Gephi, Cytoscape, spreadsheets and other triple stores.

    \b
    Example:
      kg export --format graphml --out out
    """
    from ..export import export as make
    from ..output import write_atomically, write_file_atomically
    from ..project import project
    from ..stores import close

    dataset = from_build(data_dir, store).dataset
    try:
        files = make(project(dataset, rollup=level == "state"), dataset, fmt)
    finally:
        close(dataset)
    # One file is replaced by a rename; a set (csv) by replacing the directory as a whole.
    paths = [write_file_atomically(out_dir / name, text) for name, text in files.items()] \
        if len(files) == 1 else write_atomically(out_dir, files)
    for written in paths:
        click.echo(f"Wrote {written}")


@click.command("html")
@data_option
@read_store_option
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="The page to write (one self-contained .html file).")
@click.option("--actor", help="Only this actor's world and its state's (any alias): their "
                              "edges, their agencies' and officials', and the events reached.")
@click.option("--since", help="Only items dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD); "
                              "undated items are kept.")
@click.option("--until", help="Only items dated on or before this (YYYY, YYYY-MM or "
                              "YYYY-MM-DD); undated items are kept.")
@click.option("--source", "sources", multiple=True,
              help="Only what this source id states (repeat for several; see `kg sources`).")
@click.option("--kind", "kinds", multiple=True,
              help="Only these kinds (repeatable): warning, sharing, failure, attack, plot, "
                   "claim, policy, membership, place.")
@click.option("--level", type=click.Choice(["actor", "state"]), default="actor",
              show_default=True, help="state: roll agencies and officials up to their state.")
@selection_options
@handle_errors
def html_command(data_dir: Path, store: Any, out_file: Path, actor: str | None, since: str | None,
                 until: str | None, sources: tuple[str, ...], kinds: tuple[str, ...],
                 level: str, as_of: str | None, min_reliability: str | None) -> None:
    """Write the interactive explorer page, optionally narrowed by filters.

    The page is one file that links nothing outside itself: open it from disk
    (offline, air-gapped) or serve it. Click a node or an edge for its sources
    and their exact words; search any alias; filter by kind, source and date.

    \b
    Example:
      kg html --out out/us-2024.html --actor "United States" --since 2024 --kind warning
    """
    from ..html import explorer
    from ..output import write_file_atomically

    built = from_build(data_dir, store)
    kept = kept_sources(built.sources, as_of, min_reliability)
    if kept is not None:
        # Only what the kept sources state: those named by --source among them, else all.
        sources = tuple(sorted(set(sources) & kept if sources else kept)) or ("(none)",)
    from ..stores import close

    try:
        made = explorer(built.dataset, actor=actor, since=since, until=until, source=sources,
                        kind=kinds, level=level)
    finally:
        close(built.dataset)
    written = write_file_atomically(out_file, made.html)
    click.echo(f"Wrote {written}: {made.nodes} nodes, {made.edges} edges ({level} level, "
               f"{len(made.html) / 1e6:.1f} MB).")
    for note in made.notes:
        click.echo(note, err=True)


@click.command()
@data_option
@store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Where `kg build` wrote graph.html, shown at /explorer if "
                                        "kg.html cannot draw the page itself.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback by default; 0.0.0.0 exposes the endpoint "
                   "to the network (read-only, but anyone who can reach it can query it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (answered 422).")
@click.option("--max-results", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in an answer (else 413).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes, each holding a copy of the graph (on "
                   "oxigraph:PATH each reads the store on disk).")
@stale_option
@handle_errors
def serve(data_dir: Path, store: Any, out_dir: Path, host: str, port: int, timeout: float,
          max_results: int, workers: int) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page.

    /sparql is the endpoint (GET or POST; SPARQLWrapper, curl, YASGUI), / the
    offline query page with the named queries as examples, /explorer the HTML
    explorer of the same graph. SPARQL Update, LOAD and SERVICE are refused, and
    each query has a time and a result-size limit. Stop with Ctrl-C.

    \b
    Example:
      kg serve --data data --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
        http://127.0.0.1:8000/sparql
    """
    from ..serve import Limits, explorer_page
    from ..serve import serve as run_server

    built = from_build(data_dir, store, built_dir=out_dir, shapes=True)

    def ready(endpoint: Any) -> None:
        click.echo(f"Serving {len(endpoint.graphs)} named graphs built from {data_dir}/ "
                   f"read-only at {endpoint.url} (query page {endpoint.base_url}/, explorer "
                   f"{endpoint.base_url}/explorer; {endpoint.engine.capitalize()}'s engine "
                   "answers). Ctrl-C stops.", err=True)

    run_server(built.dataset, host, port, on_ready=ready, workers=workers,
               limits=Limits(timeout=timeout, max_results=max_results),
               explorer=explorer_page(built.dataset, out_dir),
               log=lambda line: click.echo(line, err=True))



#: The commands of this module, for the ``kg`` group.
COMMANDS = [build, validate, sparql, queries, export, html_command, serve]
