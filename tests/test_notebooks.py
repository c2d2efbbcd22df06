"""The notebooks are tested artefacts: each runs top to bottom on a fresh kernel.

Every notebook in ``notebooks/`` is executed with nbclient on the venv's ``python3``
kernel, with the working directory set to ``notebooks/`` (where Jupyter starts a
notebook's kernel), against the installed ``kg`` package. A cell error fails the test
with the cell's traceback. The executed copies and every plot (PNG) are written to
``tests/artifacts/notebooks/`` (gitignored) for people to look at.

The committed notebooks carry no outputs (see the README's "Notebooks" section);
``uv run python tests/test_notebooks.py --strip`` removes outputs before a commit.
"""

from __future__ import annotations

import base64
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def _execute(path: Path) -> nbformat.NotebookNode:
    """Run ``path`` on a fresh python3 kernel in notebooks/; keep what ran, even on error."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    try:
        NotebookClient(notebook, kernel_name="python3", timeout=120,
                       resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    finally:
        _save_artifacts(path, notebook)
    return notebook


def _save_artifacts(path: Path, notebook: nbformat.NotebookNode) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, ARTIFACTS / path.name)
    for cell in notebook.cells:
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", ())
                if "image/png" in o.get("data", {})]
        for n, png in enumerate(pngs):
            (ARTIFACTS / f"{path.stem}-{cell.id}-{n}.png").write_bytes(base64.b64decode(png))


@pytest.fixture(scope="session")
def executed() -> dict[str, nbformat.NotebookNode | BaseException]:
    """Every notebook executed once (two at a time), by file stem; an error is kept."""

    def run(path: Path) -> nbformat.NotebookNode | BaseException:
        try:
            return _execute(path)
        except Exception as exc:  # noqa: BLE001 - reported by the test of that notebook
            return exc

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((p.stem for p in NOTEBOOKS), pool.map(run, NOTEBOOKS), strict=True))


def _notebook(executed, stem: str) -> nbformat.NotebookNode:
    result = executed[stem]
    if isinstance(result, BaseException):
        pytest.fail(f"notebooks/{stem}.ipynb failed to run:\n{result}", pytrace=False)
    return result


def _text(notebook: nbformat.NotebookNode, cell_id: str) -> str:
    """Everything a cell printed or displayed as text."""
    cells = [c for c in notebook.cells if c.get("id") == cell_id]
    assert cells, f"no cell with id {cell_id!r}"
    parts = []
    for output in cells[0].get("outputs", ()):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def _pngs(notebook: nbformat.NotebookNode, cell_id: str) -> list[str]:
    cell = next(c for c in notebook.cells if c.get("id") == cell_id)
    return [o["data"]["image/png"] for o in cell.get("outputs", ())
            if "image/png" in o.get("data", {})]


def test_the_notebooks_are_there():
    assert {p.stem for p in NOTEBOOKS} >= {"01-tour", "02-who-warned-whom",
                                             "03-timeline-and-lead-times",
                                             "04-where-sources-disagree", "05-network"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_without_errors(executed, path):
    notebook = _notebook(executed, path.stem)
    errors = [o for c in notebook.cells for o in c.get("outputs", ())
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_stripped_and_uses_the_installed_package(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"{path.name} has outputs; strip them: uv run python tests/test_notebooks.py --strip")
    source = "\n".join(c.source for c in code)
    assert "sys.path" not in source
    assert re.search(r"^import kg$", source, re.MULTILINE)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_tour_checks_sources_graphs_and_quote_offsets(executed):
    notebook = _notebook(executed, "01-tour")
    sources, graphs = _text(notebook, "sources"), _text(notebook, "graphs")
    for source in ("ap-2024-03", "ap-summary", "rfi-2024-03", "outreach-2024",
                   "daily-beast-2020-07"):
        assert re.search(rf"^{source}\s", sources, re.MULTILINE)
        assert re.search(rf"^{source}\s+\d+$", graphs, re.MULTILINE)  # its own named graph
    assert "every stored text matches its sha256: True" in sources
    assert re.search(r"^ap-summary\s+summary\s+ap-2024-03", sources, re.MULTILINE)
    evidence = _text(notebook, "evidence")
    assert "same words: True" in evidence and "same words: False" not in evidence
    assert "On March 7, the US government publicly issued a very precise warning" in evidence


def test_reciprocity_matrix_shows_russia_and_the_us_reciprocated(executed):
    notebook = _notebook(executed, "02-who-warned-whom")
    pairs = _text(notebook, "reciprocity-matrix")
    assert "Russia <-> United States: reciprocated" in pairs
    assert "Iran <-> United States: not reciprocated" in pairs
    assert len(_pngs(notebook, "reciprocity-matrix")) == 1
    assert "SPARQL and NetworkX agree: True" in _text(notebook, "reciprocity-sparql")
    dispute = _text(notebook, "dispute")
    assert "outreach-2024" in dispute and "not, in fact, a duty-to-warn scenario" in dispute
    verdicts = _text(notebook, "verdicts")
    assert "daily-beast-2020-07 says not_reciprocated" in verdicts
    assert "rarely, if ever, reciprocated" in verdicts
    assert "contested: russia-warns-us-tsarnaev: is_duty_to_warn" in verdicts


def test_lead_times_show_crocus_15_days_and_plots(executed):
    notebook = _notebook(executed, "03-timeline-and-lead-times")
    table = _text(notebook, "lead-times")
    crocus = next(line for line in table.splitlines() if "us-warns-russia-crocus" in line)
    assert re.search(r"\b15\b", crocus) and "attack_happened" in crocus
    assert len(_pngs(notebook, "timeline-plot")) == 1
    assert len(_pngs(notebook, "lead-time-plot")) == 1
    unplotted = _text(notebook, "lead-time-plot")
    assert "No lead time for us-warns-venezuela-chavez-plot" in unplotted
    assert "straddle zero" in unplotted
    assert "No lead time for us-warns-russia-crocus" not in unplotted


def test_kerman_tolls_are_shown_with_their_sources(executed):
    notebook = _notebook(executed, "04-where-sources-disagree")
    tolls = _text(notebook, "tolls")
    kerman = [line for line in tolls.splitlines() if line.startswith("kerman-bombings")]
    found = {(figure, source) for line in kerman
             for figure, source in [re.split(r"\s{2,}", line)[1:3]]}
    assert found == {("94", "rfi-2024-03"), ("95", "ap-2024-03"),
                     ("more than 100", "outreach-2024")}
    assert "SPARQL and NetworkX agree: True" in _text(notebook, "tolls-sparql")
    assert len(_pngs(notebook, "tolls-plot")) == 1
    kinds = _text(notebook, "conflicts")
    contradictions = kinds[:kinds.index("refinements:")]
    assert "kerman-bombings" in contradictions and "crocus-city-hall-attack" not in contradictions
    assert "143 lies within more than 130" in kinds


def test_network_paths_centrality_and_offline_explorer(executed):
    notebook = _notebook(executed, "05-network")
    assert "Vladimir Putin" in _text(notebook, "paths")
    assert "United States" in _text(notebook, "centrality")
    explorer = next(c for c in notebook.cells if c.get("id") == "explorer")
    html = "".join(o.get("data", {}).get("text/html", "") for o in explorer.outputs)
    assert "<iframe" in html
    assert not re.search(r"""(?:src|href)=(?:&quot;|["'])https?://""", html)


def strip(paths: list[Path]) -> None:
    """Remove outputs and execution counts from notebooks, in place."""
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        nbformat.write(notebook, path)
        print(f"stripped {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--strip"]:
        sys.exit("usage: uv run python tests/test_notebooks.py --strip")
    strip(NOTEBOOKS)
