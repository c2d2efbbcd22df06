"""IRIs the tests name, in one place."""

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/duty-to-warn/"
KG = Namespace(BASE + "ontology#")
ENTITY = Namespace(BASE + "id/entity/")
EVENT = Namespace(BASE + "id/event/")
CLAIM = Namespace(BASE + "id/claim/")
SOURCE = Namespace(BASE + "id/source/")
GRAPH = Namespace(BASE + "graph/")

US = ENTITY["united-states"]
RUSSIA = ENTITY["russia"]
IRAN = ENTITY["iran"]
CIA = ENTITY["cia"]
FSB = ENTITY["fsb"]

CROCUS_WARNING = EVENT["us-warns-russia-crocus"]
CROCUS_ATTACK = EVENT["crocus-city-hall-attack"]
KERMAN_ATTACK = EVENT["kerman-bombings"]
KERMAN_WARNING = EVENT["us-warns-iran-kerman"]
TSARNAEV_TIP = EVENT["russia-warns-us-tsarnaev"]
ST_PETERSBURG_WARNING = EVENT["cia-warns-russia-st-petersburg"]
ICD_191 = EVENT["icd-191"]
NAIROBI_BOMBING = EVENT["embassy-bombing-kenya-1998"]
ST_PETERSBURG_PLOT = EVENT["st-petersburg-plot"]

AP = "ap-2024-03"
AP_SUMMARY = "ap-summary"
RFI = "rfi-2024-03"
OUTREACH = "outreach-2024"
DAILY_BEAST = "daily-beast-2020-07"

AP_GRAPH: URIRef = GRAPH[AP]
RFI_GRAPH: URIRef = GRAPH[RFI]
OUTREACH_GRAPH: URIRef = GRAPH[OUTREACH]
