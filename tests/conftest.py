"""Shared fixtures: the real data built once per session, and helpers for mini corpora."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.project import project

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"
GOOD = TEST_DATA / "good"
BAD = TEST_DATA / "bad"


@pytest.fixture(scope="session")
def built() -> kg.Built:
    """The real data, read, checked, built and SHACL-validated once."""
    return kg.load(DATA)


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


@pytest.fixture(scope="session")
def graph(dataset):
    """The NetworkX projection of the real data (actor level)."""
    return project(dataset)


@pytest.fixture
def good_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny valid corpus in tests/data/good."""
    target = tmp_path / "data"
    shutil.copytree(GOOD, target)
    return target
