"""The projection's schema: the keys :mod:`kg.project` writes and the questions read.

A node of the NetworkX projection has the attributes :data:`LABEL`, :data:`ALIASES`,
:data:`TYPES` (class local names), :data:`TYPED_BY` (class -> the sources that type it
so), :data:`STATE` (for actors: the state they act for) and :data:`FACTS` (predicate ->
``(value, source)`` pairs). An edge's key is its predicate's local name (the constants
below the node attributes) and its one attribute is :data:`SOURCES`. The same local
names key :data:`FACTS`. Readers use these names, never the bare strings, so a renamed
key is one edit here and a typo is a NameError.

Example:
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("w", **{TYPES: ["Warning"], FACTS: {DATE: [("2024-03-07", "ap")]}})
    >>> g.add_edge("w", "russia", key=RECIPIENT, **{SOURCES: ["ap"]})
    'recipient'
    >>> g.nodes["w"][FACTS][DATE], g.edges["w", "russia", RECIPIENT][SOURCES]
    ([('2024-03-07', 'ap')], ['ap'])
"""

from __future__ import annotations

# -- Node attributes ----------------------------------------------------------------------
LABEL = "label"
ALIASES = "aliases"
TYPES = "types"
TYPED_BY = "typed_by"
STATE = "state"
FACTS = "facts"

# -- Edge attribute -----------------------------------------------------------------------
SOURCES = "sources"

# -- Edge keys and fact names: predicates' local names ------------------------------------
# Claims and their evidence.
ASSERTS = "asserts"
EVIDENCE = "evidence"
QUOTE = "quote"
START_OFFSET = "startOffset"
END_OFFSET = "endOffset"
CREDIBILITY = "credibility"
INFERRED_VALUE = "inferredValue"
DISPUTES = "disputes"
# Who and what an event is about.
WARNER = "warner"
RECIPIENT = "recipient"
CONCERNS = "concerns"
PLACE = "place"
PERPETRATOR = "perpetrator"
CLAIMANT = "claimant"
SHARER = "sharer"
RESPONDER = "responder"
RESPONDS_TO = "respondsTo"
RESPONSE_TYPE = "responseType"
ISSUER = "issuer"
SUBJECT = "subject"
UNDER_POLICY = "underPolicy"
CHANNEL = "channel"
SPECIFICITY = "specificity"
OUTCOME = "outcome"
STATUS = "status"
NAME = "name"
DESCRIPTION = "description"
# Dates and figures.
DATE = "date"  # folded from the event's kg:dated node (kg.project._fold_dates)
DATE_PRECISION = "datePrecision"
DATE_INFERRED = "dateInferred"
KILLED = "killed"
INJURED = "injured"
VALUE = "value"
QUALIFIER = "qualifier"
COUNT_TEXT = "countText"
# Roles, membership, places, verdicts, sources.
PERSON = "person"
ORGANISATION = "organisation"
ROLE_NAME = "roleName"
MEMBER = "member"
AFFILIATION_TYPE = "affiliationType"
CONTAINED_IN_PLACE = "containedInPlace"
WITHIN = "within"
PARTY = "party"
EXCHANGE = "exchange"
RECIPROCITY = "reciprocity"
RELIABILITY = "reliability"
SAME_AS = "sameAs"
WAS_DERIVED_FROM = "wasDerivedFrom"
ACTS_FOR = "actsFor"
