"""How the explorer page scales: time to write it, its size, time until drawn and still.

Usage:
    uv run python benchmarks/html_scale.py [1000 5000 20000] [--keep DIR] [--no-browser]

For each target node count: makes the synthetic corpus (kg.synthetic: N warnings among
N/10 actors; about 0.43 page nodes per warning, as actors + attacks + a place) with N
chosen to reach the target, builds the dataset (timed, not part of the page), then
times ``kg.html.explorer`` (projection, analyses, layout, render; the layout alone in
brackets), writes the page, and opens it from disk in headless Chromium
(/usr/bin/chromium, every request outside the file blocked). "drawn" is the wall time
from navigation to vis-network's first drawing; "still" checks that no node moved in
the second after it; "frame" is one full redraw (what a pan or zoom costs); "filter"
is hiding every warning with the page's own filter. Above kg.html.MAX_EDGES edges (or
MAX_NODES nodes) the page keeps the best-connected nodes ("aggregated"); --no-limit draws
everything, to show what that avoids.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import kg.html
from kg.build import build_dataset
from kg.html import explorer
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

NODES_PER_WARNING = 0.1 + 1 / 3  # actors (N/10) and attacks (every third warning)
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def timed_layout() -> dict[str, float]:
    """Wrap the page's layout function so its time can be reported on its own."""
    spent = {"layout": 0.0}
    original = kg.html.positions

    def positions(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["layout"] += time.perf_counter() - start

    kg.html.positions = positions
    return spent


def in_browser(path: Path) -> dict[str, object]:
    """Open the page from disk in headless Chromium and time it until drawn and still."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 950})
        blocked: list[str] = []
        url = path.as_uri()
        context.route("**/*", lambda r: r.continue_() if r.request.url == url
                      else (blocked.append(r.request.url), r.abort()))
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(url, timeout=600_000)
        page.wait_for_function("window.kgExplorer && window.kgExplorer.ready",
                               timeout=600_000, polling=50)
        drawn = time.perf_counter() - start
        before = page.evaluate("JSON.stringify(kgExplorer.network.getPositions())")
        page.wait_for_timeout(1000)
        still = page.evaluate("JSON.stringify(kgExplorer.network.getPositions())") == before
        count = page.evaluate("kgExplorer.drawnNodeCount()")
        frame = page.evaluate("""() => { const t = performance.now();
            kgExplorer.network.redraw(); return performance.now() - t; }""")
        start = time.perf_counter()
        page.locator("input[value=warning]").uncheck()
        page.wait_for_function("document.getElementById('summary').textContent"
                               ".startsWith('Showing')", timeout=600_000)
        filtered = time.perf_counter() - start
        result = {"drawn": drawn, "still": still and page.evaluate("kgExplorer.stable()"),
                  "frame": frame / 1000, "filter": filtered,
                  "count": count,
                  "errors": errors, "blocked": blocked}
        browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--keep", type=Path, help="Directory to keep the pages in.")
    parser.add_argument("--no-browser", action="store_true", help="Skip the Chromium timing.")
    parser.add_argument("--no-limit", action="store_true",
                        help="Draw every node and edge (no MAX_NODES/MAX_EDGES degradation), "
                             "to see what the limits avoid.")
    args = parser.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="kg-html-scale-"))
    out.mkdir(parents=True, exist_ok=True)
    spent = timed_layout()
    print(f"{'target':>7} {'warnings':>8} {'nodes':>6} {'edges':>7} {'dataset':>8} "
          f"{'page (layout)':>15} {'size MB':>8} {'drawn':>7} {'still':>5} {'frame':>7} "
          f"{'filter':>7}  notes")
    for target in args.targets:
        n = round(target / NODES_PER_WARNING)
        start = time.perf_counter()
        dataset = build_dataset(check_corpus(synthetic_corpus(n, seed=0)))
        made_dataset = time.perf_counter() - start
        spent["layout"] = 0.0
        start = time.perf_counter()
        made = explorer(dataset, **({"max_nodes": 10**9, "max_edges": 10**9}
                                    if args.no_limit else {}))
        path = out / f"graph-{target}{'-all' if args.no_limit else ''}.html"
        path.write_text(made.html, encoding="utf-8")
        written = time.perf_counter() - start
        del dataset
        row = (f"{target:>7} {n:>8} {made.nodes:>6} {made.edges:>7} {made_dataset:>7.1f}s "
               f"{written:>7.1f}s ({spent['layout']:>4.1f}s) "
               f"{path.stat().st_size / 1e6:>8.1f}")
        notes = "aggregated" if made.notes else ""
        if not args.no_browser:
            b = in_browser(path)
            row += (f" {b['drawn']:>6.1f}s {'yes' if b['still'] else 'NO':>5} "
                    f"{b['frame'] * 1000:>5.0f}ms {b['filter']:>6.1f}s")
            if b["count"] != made.nodes:
                notes += f" drawn {b['count']} of {made.nodes}!"
            if b["errors"] or b["blocked"]:
                notes += f" errors={b['errors'][:2]} blocked={b['blocked'][:2]}"
        print(row + "  " + notes.strip(), flush=True)
    print(f"pages in {out}")


if __name__ == "__main__":
    main()
