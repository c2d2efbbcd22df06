"""Reading YAML: libyaml as kg reads it (lines kept) against plain libyaml and the
line-tracking loader, over every *.yaml under DIR (e.g. a synthetic corpus).

Usage:
    uv run python benchmarks/yaml_speed.py DIR

Prints one line per loader: seconds to parse every file once (the texts are read first).
"""

import sys
import time
from pathlib import Path

import yaml

from kg import yamlfile

LOADERS = (
    ("plain libyaml (no lines)", lambda text: yaml.load(text, Loader=yaml.CSafeLoader)),  # noqa: S506
    ("kg: libyaml, lines kept", yamlfile._fast_load),
    ("kg: line-tracking loader", lambda text: yaml.load(text, Loader=yamlfile._Loader)),  # noqa: S506
)


def main() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.yaml"))]
    for name, load in LOADERS:
        start = time.perf_counter()
        for text in texts:
            load(text)
        print(f"{name:26} {time.perf_counter() - start:6.2f} s  ({len(texts)} files)")


if __name__ == "__main__":
    main()
