"""Every command the README shows runs, and the output it shows is what the command prints.

The README's ``sh`` blocks list commands; its ``console`` blocks show ``$ command`` followed by
lines of its output (an excerpt: each shown line must be a line the command prints, in that
order, at 100 columns). A command of a form this test does not know fails the test, so the
README cannot show a command nobody runs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: What `kg` is called as in the README, and what stands for it here.
_KG_PREFIXES = (("python3", "-m", "uv", "run", "--locked", "kg"), ("uv", "run", "--locked", "kg"),
                ("uv", "run", "kg"), ("kg",))
#: The first command installs uv before running kg.
_INSTALL = "python3 -m pip install uv && "


@dataclass
class Example:
    line: int
    command: str
    shown: list[str] = field(default_factory=list)


def examples(text: str) -> list[Example]:
    """The commands of the README's sh and console blocks, with the output lines shown."""
    found: list[Example] = []
    kind = None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^```(\w*)\s*$", line)
        if fence:
            kind = None if kind is not None else (fence.group(1) or "text")
            continue
        if kind == "sh":
            command = line.split(" #")[0].strip()
            if command and not command.startswith("#"):
                found.append(Example(number, command))
        elif kind == "console":
            if line.startswith("$ "):
                found.append(Example(number, line[2:].strip()))
            elif line.strip() not in ("", "...") and found:  # "..." marks an excerpt's cut
                found[-1].shown.append(line.rstrip())
    return found


def _kg_args(command: str) -> list[str] | None:
    """The arguments of a ``kg`` command as the README writes it (None: not a kg command)."""
    words = shlex.split(command.removeprefix(_INSTALL))
    for prefix in _KG_PREFIXES:
        if tuple(words[:len(prefix)]) == prefix:
            return words[len(prefix):]
    return None


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ in a directory of its own, where `kg build` has run, as a reader's would."""
    where = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "data", where / "data")
    return where


def _run_kg(args: list[str], where: Path) -> str:
    previous = os.getcwd()
    os.chdir(where)
    try:
        result = CliRunner().invoke(cli, args, env={"COLUMNS": "100"}, catch_exceptions=False)
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, (
        f"kg {shlex.join(args)} exited {result.exit_code}:\n{result.output}")
    return result.output


ALL = examples(README.read_text(encoding="utf-8"))


def test_the_readme_shows_commands() -> None:
    assert any(_kg_args(e.command) == ["build"] for e in ALL)
    assert sum(1 for e in ALL if e.shown) >= 5, "the five questions show their output"


def test_the_test_command_is_what_ci_runs() -> None:
    assert "bash scripts/test.sh" in [e.command for e in ALL]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("example", ALL, ids=lambda e: f"line{e.line}")
def test_example_runs_and_prints_what_it_shows(example: Example, workdir: Path) -> None:
    command = example.command
    if command == "bash scripts/test.sh":
        return  # this is the suite itself; test_the_test_command_is_what_ci_runs checks it
    args = _kg_args(command)
    if args is None and shlex.split(command)[:4] == ["uv", "run", "python", "-m"]:
        output = subprocess.run([sys.executable, *shlex.split(command)[3:]], cwd=workdir,
                                capture_output=True, text=True, check=True).stdout
    elif args is not None:
        if args[:1] != ["build"] and not (workdir / "out").exists():
            _run_kg(["build"], workdir)  # the README's order: the build comes first
        output = _run_kg(args, workdir)
    else:
        pytest.fail(f"README.md:{example.line}: no way to run {command!r}; "
                    "teach tests/test_readme.py, or show a command it knows")
    printed = [line.rstrip() for line in output.splitlines()]
    at = 0
    for shown in example.shown:
        assert shown in printed[at:], (
            f"README.md:{example.line}: {command!r} does not print {shown!r} "
            f"(after the lines before it); it prints:\n{output}")
        at = printed.index(shown, at) + 1


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: p.name)
def test_links_to_files_resolve(page: Path) -> None:
    """A reader who follows a link from the README or a docs page finds the file."""
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # an URL: not ours to check offline
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_the_map_of_the_code_names_every_module_and_nothing_gone() -> None:
    """docs/code.md names each module of kg/; every path the README's map names exists."""
    code = (ROOT / "docs" / "code.md").read_text(encoding="utf-8")
    for module in sorted((ROOT / "kg").glob("*.py")):
        if module.name not in ("__init__.py", "__main__.py"):
            assert f"kg/{module.name}" in code, f"docs/code.md does not say what {module.name} does"
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("## Map of the code"):]
    for path in re.findall(r"`((?:kg|ontology|data|notebooks|tests|benchmarks|scripts)/[^`]*)`",
                           section):
        assert (ROOT / path).exists(), f"README's map names {path}, which does not exist"
