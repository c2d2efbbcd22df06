"""Duty-to-warn knowledge graph: actors, threat warnings and attacks, with provenance.

Importing ``kg`` is cheap: it loads the records and the pipeline entry points,
not pyvis, a web server or the SHACL engine.

Example:
    >>> import kg
    >>> kg.DateValue.parse("2024-03-07").precision
    'day'
"""

from .errors import DataError, KGError, Problem, UnknownNameError
from .pipeline import Built, build, load
from .records import Claim, Corpus, Count, DateValue, Entity, Quote, Source
from .sources import read_corpus

__all__ = [
    "Built", "Claim", "Corpus", "Count", "DataError", "DateValue", "Entity", "KGError",
    "Problem", "Quote", "Source", "UnknownNameError", "build", "load", "read_corpus",
]
__version__ = "0.1.0"
