"""The standard shapes read back into the projection's own (:mod:`kg.project`).

The graph says a role's position and a source's derivation as W3C ORG and PROV-O mean
them; the questions read the projection's simpler shape, unchanged:

- a role's position (``kg:position`` to an ``org:Role`` of the reference graph, labelled
  with the source's words) becomes the role's ``roleName`` fact, the words;
- a source's qualified derivation (``prov:qualifiedDerivation`` to a ``kg:Summary``,
  ``kg:Translation`` or ``kg:Repost``) becomes its ``relation`` fact (``translation``);
- the direct ORG links of affiliations, ``prov:wasQuotedFrom`` and the named graphs'
  ``dcterms:source`` are left out: other edges say the same.

No node is made for a position, a derivation or a named graph.

Example:
    >>> from kg.iri import ENTITY
    >>> r = Reshaper()
    >>> position = POSITIONS + "CIA_Director"
    >>> r.reference(position, RDFS_LABEL, "CIA Director"), r.position_words(position)
    (True, 'CIA Director')
    >>> r.reference(ENTITY + "cia", RDFS_LABEL, "CIA")
    False
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, PROV

from .iri import GRAPHS, is_derivation, local_id
from .iri import POSITION as POSITIONS
from .vocab import KG, ORG, ORG_LINK, QUOTED_FROM

#: The predicate of a role's position, and the fact the projection gives its words.
POSITION, ROLE_NAME_IRI = str(KG.position), str(KG._NS) + "roleName"
#: The direct ORG links an affiliation states (its kg:Affiliation node says the same).
ORG_LINKS = frozenset(map(str, ORG_LINK.values()))
RDFS_LABEL = str(RDFS.label)

_TYPE, _ORG_ROLE, _QUALIFIED = str(RDF.type), str(ORG.Role), str(PROV.qualifiedDerivation)
_POSITIONS, _GRAPHS = POSITIONS, GRAPHS
_SKIPPED = frozenset((str(QUOTED_FROM), str(DCTERMS.source)))


class Reshaper:
    """Reads positions and derivations from the reference graph's triples, one at a time."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}
        self.derivation_of: dict[str, str] = {}
        self.kind: dict[str, str] = {}

    def reference(self, s: str, p: str, o: Any) -> bool:
        """Whether the reference triple is read here (and kept out of the nodes and edges)."""
        if p == _TYPE and o == _ORG_ROLE:
            self.words.setdefault(s, local_id(s))
        elif p == RDFS_LABEL and s.startswith(_POSITIONS):
            self.words[s] = str(o)
        elif p == _QUALIFIED:
            self.derivation_of[o] = s
        elif is_derivation(s) or s.startswith(_GRAPHS) or p in _SKIPPED:
            if p == _TYPE:  # in any order: the store need not give the source's link first
                self.kind[s] = local_id(o).lower()
        else:
            return False
        return True

    def position_words(self, position: str) -> str:
        """The words of a position (its IRI's last segment if the reference lacks it)."""
        return self.words.get(position) or local_id(position)

    def relations(self) -> Iterator[tuple[str, str]]:
        """``(source, how)`` for every derivation read: ``how`` is summary, translation..."""
        for derivation, source in sorted(self.derivation_of.items()):
            if derivation in self.kind:
                yield source, self.kind[derivation]
