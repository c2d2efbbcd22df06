"""The words that say what kind of name a name is: an agency noun after a state
("Indian intelligence"), the last word of an organisation's or a building's name, a title
before a person's, and the capitalised words that never start a name.

Example:
    >>> AGENCY_NOUNS[("intelligence",)], ORG_WORDS["agency"], "ambassador" in TITLES
    ('intelligence services', 'agency', True)
"""

from __future__ import annotations

from .text import words

#: Nouns that turn a state into one of its agencies ("Indian intelligence").
AGENCY_NOUNS = {
    ("intelligence",): "intelligence services",
    ("intelligence", "services"): "intelligence services",
    ("intelligence", "service"): "intelligence services",
    ("intelligence", "agencies"): "intelligence services",
    ("intelligence", "agency"): "intelligence services",
    ("spy", "agency"): "intelligence services",
    ("spy", "agencies"): "intelligence services",
    ("intelligence", "officials"): "intelligence services",
    ("intelligence", "agents"): "intelligence services",
    ("service",): "intelligence services",
    ("services",): "intelligence services",
    ("intelligence", "officers"): "intelligence services",
    ("intelligence", "community"): "intelligence services",
    ("intelligence", "sources"): "intelligence services",
    ("spies",): "intelligence services",
    ("spy", "service"): "intelligence services",
    ("spy", "services"): "intelligence services",
    ("security", "agency"): "security services",
    ("security", "authorities"): "security services",
    ("counterterrorism", "officials"): "security services",
    ("counter-terrorism", "officials"): "security services",
    ("police", "officers"): "police",
    ("police", "force"): "police",
    ("federal", "police"): "police",
    ("law", "enforcement"): "police",
    ("security", "services"): "security services",
    ("security", "service"): "security services",
    ("security", "agencies"): "security services",
    ("security", "forces"): "security services",
    ("security", "officials"): "security services",
    ("police",): "police",
    ("military",): "military",
    ("army",): "military",
    ("armed", "forces"): "military",
    ("embassy",): "embassy",
}
#: Lowercase words between a state's adjective and its agency: "British counter-terrorism
#: police", "Indian federal investigators".
MODIFIERS = words("""counter terrorism counterterrorism anti security federal national state
local senior top domestic foreign external internal military border special""")
#: Nouns after which a state name still means the state ("Iranian officials").
STATE_NOUNS = words("""officials official authorities authority government counterparts counterpart
leaders leadership diplomats administration regime side officers ministers president
agencies agency services colleagues partners prosecutors investigators detectives""")
#: Last words of organisation names, and the type they suggest.
ORG_WORDS = {
    **dict.fromkeys(
        [
            "agency",
            "service",
            "services",
            "ministry",
            "authority",
            "department",
            "bureau",
            "directorate",
            "police",
            "office",
            "command",
            "council",
            "committee",
            "corps",
            "guard",
            "guards",
            "embassy",
            "consulate",
            "unit",
            "center",
            "centre",
        ],
        "agency",
    ),
    **dict.fromkeys(
        [
            "front",
            "brigade",
            "brigades",
            "movement",
            "group",
            "organisation",
            "organization",
            "party",
            "network",
            "jamaat",
            "jama'ath",
            "jamaath",
            "jamath",
            "tehreek",
            "tehrik",
            "mujahideen",
            "battalion",
            "militia",
            "faction",
            "cell",
            "army",
        ],
        "group",
    ),
}
#: Last words of the names of buildings and sites, proposed as places ("Westgate Mall").
BUILDINGS = words("""tower towers hotel mall airport station church mosque synagogue museum
school university college market hall club stadium arena cathedral shrine temple bazaar
plaza square cafe restaurant nightclub theatre theater gate bakery hill memorial border
palace base camp barracks compound harbour bridge parliament consulate headquarters park""")
#: Words before a name that make it a person's name.
TITLES = words("""president minister director secretary ambassador general gen colonel col commander
chief senator sen governor gov king queen prince sheikh imam mullah ayatollah mr
mrs ms dr spokesman spokeswoman spokesperson leader chairman emir judge premier
chancellor envoy officer official lieutenant lt captain capt major counterpart adviser advisor
spokesman""")
#: Capitalised words that never start a name.
NOT_NAMES = words("""the a an in on at of for and but or if when while after before since this that
these those it its his her their our we they he she i you there here as by from
to with without however meanwhile still yet also even many some few most other
another such monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december
according despite during under over""")
PAPERS = words("""times post herald journal tribune gazette globe chronicle telegraph observer
monitor standard""")
STREETS = words("drive road street avenue boulevard lane way square")
#: Nouns of violence after which a town's name is the attack's ("the Kano bombing").
VIOLENCE = words("""attack attacks bombing bombings blast blasts explosion explosions siege
shooting shootings massacre stabbing gunman gunmen bomber bombers hospital""")
#: Words after which a capitalised name may be a town: "in Krasnogorsk", "near Sehwan".
IN_PLACE = words("in at near outside inside of")
CONNECTORS = words("of the for and al el e i ul bin ibn de - '")
