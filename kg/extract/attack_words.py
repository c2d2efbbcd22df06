"""The words of attacks and plots: the nouns that name one (and the kind each names),
words that make one hypothetical, foiled or plotted, words for attackers, and the modifiers
that may stand between a name and the noun ("the Moscow concert hall attack").

Example:
    >>> HEADS["bombings"], HEADS["assassination"], "gunmen" in AGENTS
    ('bomb', 'kill', True)
"""

from __future__ import annotations

from .text import words

HEADS = {
    **dict.fromkeys(
        (
            "attack",
            "attacks",
            "assault",
            "assaults",
            "massacre",
            "massacres",
            "siege",
            "sieges",
            "ambush",
            "hijacking",
            "hijackings",
            "stabbing",
            "stabbings",
            "rampage",
        ),
        "attack",
    ),
    **dict.fromkeys(("bombing", "bombings", "blast", "blasts", "explosion", "explosions"), "bomb"),
    **dict.fromkeys(("shooting", "shootings"), "shoot"),
    **dict.fromkeys(("killing", "killings", "assassination", "assassinations", "murder"), "kill"),
    **dict.fromkeys(("poisoning", "poisonings"), "poison"),
    **dict.fromkeys(("strike", "strikes", "airstrike", "airstrikes"), "strike"),
    **dict.fromkeys(("plot", "plots", "conspiracy", "scheme"), "plot"),
}
HYPOTHETICAL = words("""potential possible future imminent impending upcoming planned plotting
plotted plot plan plans planning threatened threatening threaten threatens feared would
could might may will
can if any such prevent prevented thwart thwarted foil foiled avert averted
disrupt disrupted stop stopped against further new more""")
FOILED = words("""prevent prevented thwart thwarted foil foiled avert averted disrupt disrupted
arrested detained""")
PLOTTING = words("plot plots plotting plotted planning planned plan plans conspiracy")
#: Stems of stopping an attack before it happened ("thwarting", "foils", "blocked").
FOIL_STEMS = ("prevent", "thwart", "foil", "avert", "disrupt", "block", "stopp", "stop")


def foiled_word(norm: str) -> bool:
    """Whether a word says an attack was stopped: ``foils``, ``thwarting``, ``averted``.

    Example:
        >>> [foiled_word(w) for w in ("thwarting", "foils", "stop", "stoppage", "bomb")]
        [True, True, True, False, False]
    """
    return norm.startswith(FOIL_STEMS) and norm not in ("stoppage", "blockade", "stopover")


NEGATION = words("not never neither nor n't no little unable failed without")
AGENTS = words("""bomber bombers gunman gunmen militant militants attacker attackers terrorist
terrorists extremist extremists jihadists fighters operatives assailants insurgents""")
MODIFIERS = words("""suicide terrorist terror deadly deadliest twin double triple car truck bomb
drone missile air islamist jihadist militant extremist mass coordinated marathon
park market mosque church school hotel mall station airport bus train metro subway stadium
concert embassy shrine temple cafe restaurant nightclub club rally parade beach university
' s - 's""")
WINDOW_STOP = words(""", ; : which that who when where after before while as but because since
killing killed claimed""")
