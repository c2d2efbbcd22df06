"""Namespaces: our closed ontology namespace and the controlled values it names.

``KG`` mirrors ``ontology/kg.ttl`` term for term; it is closed, so a typo such as
``KG.Atack`` raises instead of minting a new term. A test checks that both
declare the same terms.

Example:
    >>> str(KG.Warning)
    'https://w3id.org/duty-to-warn/ontology#Warning'
    >>> KG.Atack
    Traceback (most recent call last):
    ...
    AttributeError: term 'Atack' not in namespace 'https://w3id.org/duty-to-warn/ontology#'

The IRIs of our resources are minted by ``kg.iri``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import PROV, DefinedNamespace

from .iri import ONTOLOGY

ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")


class KG(DefinedNamespace):
    """Terms of the duty-to-warn ontology (``ontology/kg.ttl``)."""

    _NS = Namespace(ONTOLOGY)
    _fail = True

    # Classes: actors and places
    Actor: URIRef
    State: URIRef
    Agency: URIRef
    Group: URIRef
    Person: URIRef
    Place: URIRef
    # Classes: events
    Event: URIRef
    Warning: URIRef
    Attack: URIRef
    Plot: URIRef
    Response: URIRef
    ClaimOfResponsibility: URIRef
    IntelligenceSharing: URIRef
    FailureToWarn: URIRef
    Policy: URIRef
    Role: URIRef
    Affiliation: URIRef
    ReciprocityVerdict: URIRef
    Dispute: URIRef
    # Classes: provenance
    Article: URIRef
    Source: URIRef
    Summary: URIRef
    Translation: URIRef
    Repost: URIRef
    Claim: URIRef
    Quote: URIRef
    Count: URIRef
    # Classes: controlled values
    DatePrecision: URIRef
    Qualifier: URIRef
    Channel: URIRef
    Specificity: URIRef
    Outcome: URIRef
    PlotStatus: URIRef
    ResponseType: URIRef
    AffiliationType: URIRef
    ReciprocityLevel: URIRef
    DisputedAspect: URIRef
    ClaimMethod: URIRef
    # Object properties
    warner: URIRef
    recipient: URIRef
    concerns: URIRef
    subject: URIRef
    channel: URIRef
    specificity: URIRef
    outcome: URIRef
    underPolicy: URIRef
    place: URIRef
    perpetrator: URIRef
    killed: URIRef
    injured: URIRef
    qualifier: URIRef
    status: URIRef
    responder: URIRef
    respondsTo: URIRef
    responseType: URIRef
    claimant: URIRef
    sharer: URIRef
    accused: URIRef
    victim: URIRef
    issuer: URIRef
    person: URIRef
    position: URIRef
    organisation: URIRef
    member: URIRef
    affiliationType: URIRef
    party: URIRef
    reciprocity: URIRef
    exchange: URIRef
    disputes: URIRef
    disputedAspect: URIRef
    datePrecision: URIRef
    actsFor: URIRef
    within: URIRef
    asserts: URIRef
    evidence: URIRef
    inSource: URIRef
    method: URIRef
    # Datatype properties
    target: URIRef
    name: URIRef
    description: URIRef
    dateText: URIRef
    dateInferred: URIRef
    reliability: URIRef
    reliabilityReason: URIRef
    credibility: URIRef
    inferredValue: URIRef
    value: URIRef
    countText: URIRef
    waiverCondition: URIRef
    quote: URIRef
    startOffset: URIRef
    endOffset: URIRef
    confidence: URIRef
    sha256: URIRef
    textLength: URIRef
    file: URIRef
    translatedFrom: URIRef
    note: URIRef
    # Individuals: date precisions
    Day: URIRef
    Month: URIRef
    Year: URIRef
    # Individuals: qualifiers (of a count; kg:Before of a date)
    Before: URIRef
    Exact: URIRef
    MoreThan: URIRef
    AtLeast: URIRef
    About: URIRef
    AtMost: URIRef
    # Individuals: channels
    Public: URIRef
    Private: URIRef
    Diplomatic: URIRef
    # Individuals: specificity
    TimingNamed: URIRef
    LocationNamed: URIRef
    PerpetratorsNamed: URIRef
    TargetNamed: URIRef
    # Individuals: outcomes
    AttackHappened: URIRef
    Foiled: URIRef
    NoneReported: URIRef
    UnknownOutcome: URIRef
    # Individuals: plot status
    PlotFoiled: URIRef
    PlotCarriedOut: URIRef
    PlotUnconfirmed: URIRef
    PlotStatusUnknown: URIRef
    # Individuals: response types
    Dismissed: URIRef
    Thanked: URIRef
    ArrestedSuspects: URIRef
    Investigated: URIRef
    FailedToFollowUp: URIRef
    Distrusted: URIRef
    SupportedClaim: URIRef
    UnknownResponse: URIRef
    # Individuals: affiliation types
    PartOf: URIRef
    AffiliateOf: URIRef
    BranchOf: URIRef
    MemberOf: URIRef
    # Individuals: reciprocity levels
    Reciprocated: URIRef
    PartlyReciprocated: URIRef
    RarelyReciprocated: URIRef
    NotReciprocated: URIRef
    # Individuals: disputed aspects
    IsDutyToWarn: URIRef
    DisputedDate: URIRef
    DisputedDetails: URIRef
    # Individuals: claim methods
    Curated: URIRef
    Extracted: URIRef
    # Values: a date as one node per claim or source, with its bounds and qualifier
    DateValue: URIRef
    dated: URIRef
    published: URIRef
    earliest: URIRef
    latest: URIRef


#: Record vocabulary (strings in YAML) -> ontology individuals.
ENUM_TERMS: dict[str, dict[str, URIRef]] = {
    "precision": {"day": KG.Day, "month": KG.Month, "year": KG.Year, "before": KG.Before},
    "qualifier": {"exact": KG.Exact, "more_than": KG.MoreThan, "at_least": KG.AtLeast,
                  "about": KG.About, "at_most": KG.AtMost},
    "channel": {"public": KG.Public, "private": KG.Private, "diplomatic": KG.Diplomatic},
    "specificity": {"timing": KG.TimingNamed, "location": KG.LocationNamed,
                    "perpetrators": KG.PerpetratorsNamed, "target": KG.TargetNamed},
    "outcome": {"attack_happened": KG.AttackHappened, "foiled": KG.Foiled,
                "none_reported": KG.NoneReported, "unknown": KG.UnknownOutcome},
    "status": {"foiled": KG.PlotFoiled, "carried_out": KG.PlotCarriedOut,
               "unconfirmed": KG.PlotUnconfirmed, "unknown": KG.PlotStatusUnknown},
    "response": {"dismissed": KG.Dismissed, "thanked": KG.Thanked,
                 "arrested_suspects": KG.ArrestedSuspects, "investigated": KG.Investigated,
                 "failed_to_follow_up": KG.FailedToFollowUp, "distrusted": KG.Distrusted,
                 "supported_claim": KG.SupportedClaim, "unknown": KG.UnknownResponse},
    "relation": {"part_of": KG.PartOf, "affiliate_of": KG.AffiliateOf,
                 "branch_of": KG.BranchOf, "member_of": KG.MemberOf},
    "aspect": {"is_duty_to_warn": KG.IsDutyToWarn, "date": KG.DisputedDate,
               "details": KG.DisputedDetails},
    "method": {"curated": KG.Curated, "extracted": KG.Extracted},
    "reciprocity": {"reciprocated": KG.Reciprocated,
                    "partly_reciprocated": KG.PartlyReciprocated,
                    "rarely_reciprocated": KG.RarelyReciprocated,
                    "not_reciprocated": KG.NotReciprocated},
}

#: Claim kind -> event class.
KIND_CLASS: dict[str, URIRef] = {
    "warning": KG.Warning, "attack": KG.Attack, "plot": KG.Plot, "response": KG.Response,
    "claim_of_responsibility": KG.ClaimOfResponsibility,
    "intelligence_sharing": KG.IntelligenceSharing, "failure_to_warn": KG.FailureToWarn,
    "policy": KG.Policy, "role": KG.Role, "affiliation": KG.Affiliation, "dispute": KG.Dispute,
    "reciprocity_verdict": KG.ReciprocityVerdict,
}

#: How a source derives from its original (``relation`` in sources.yaml) -> the class of
#: its qualified ``prov:Derivation``.
DERIVATION_CLASS: dict[str, URIRef] = {
    "summary": KG.Summary, "translation": KG.Translation, "repost": KG.Repost,
}

#: Affiliation type (``relation`` of an affiliation claim) -> the direct W3C ORG link from
#: the member to the organisation that the claim's kg:Affiliation node describes.
ORG_LINK: dict[str, URIRef] = {
    "part_of": ORG.subOrganizationOf, "branch_of": ORG.unitOf,
    "affiliate_of": ORG.linkedTo, "member_of": ORG.memberOf,
}

#: A repost also has this shortcut to its original (PROV's own property for a quotation).
QUOTED_FROM = PROV.wasQuotedFrom

#: Entity type -> class.
TYPE_CLASS: dict[str, URIRef] = {
    "state": KG.State, "agency": KG.Agency, "group": KG.Group, "person": KG.Person,
    "place": KG.Place,
}
