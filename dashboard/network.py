"""Who appears with whom: the co-participation network of the filtered events.

Built from :meth:`dashboard.query.EventQuery.actor_lists` (the selected events grouped by
their list of actors), so a million events cost one pass of the engine and a loop over a
few thousand distinct lists here. A name is cut at its first parenthesis, as the sidebar
does ("United States (SecState Antony Blinken, co-host)" is the United States), and merged
with its other spellings through the alias table (ISIS, داعش and Daesh are one node).

The layout is seeded and made from the graph in a fixed (sorted) order, so the same
filter draws the same picture on every rerun; the page caches it by filter as well.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from .aliases import alias_key, canonical
from .filters import MAX_VALUES, Filters
from .text import actors_blob, normalise

KINDS_CSV = Path(__file__).resolve().parent.parent / "data" / "actor_kinds.csv"
#: Kinds of actor a node can be coloured by; anything not in the table is "unknown".
KINDS = ("state", "armed group", "international organisation", "unknown")
#: At most this many actors are drawn: those with the most partners (the rest are counted).
MAX_NODES = 60
#: The layout's seed: the same graph is laid out the same way every time.
LAYOUT_SEED = 7

_SPACES = re.compile(r"\s+")


def node_name(actor: str) -> str:
    """The node an actor as written belongs to: cut at "(", then its canonical spelling."""
    name = _SPACES.sub(" ", str(actor).split("(", 1)[0]).strip(" ,;:-")
    if not name:
        return ""
    return canonical(name, "actor") or name


@lru_cache(maxsize=2)
def _kinds(path: Path = KINDS_CSV) -> dict[str, str]:
    """Spelling key -> kind; a bad row is an error naming its line."""
    if not path.exists():
        return {}
    table = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            name, kind = (row.get("name") or "").strip(), (row.get("kind") or "").strip()
            if not name or kind not in KINDS[:-1]:
                raise ValueError(
                    f"{path.name} line {number}: need a name and a kind ({', '.join(KINDS[:-1])})"
                )
            table[alias_key(name)] = kind
    return table


def kind_of(name: str) -> str:
    """The kind of actor a node is, from data/actor_kinds.csv (by any spelling), or "unknown"."""
    kinds = _kinds()
    for candidate in (name, canonical(name, "actor") or name):
        kind = kinds.get(alias_key(candidate))
        if kind:
            return kind
    return "unknown"


@dataclass
class Actor:
    name: str
    events: int = 0
    first: date | None = None
    last: date | None = None
    #: How the actor is written in the selected events (cut at "("), for the actor filter.
    spellings: list[str] = field(default_factory=list)


@dataclass
class Network:
    """The whole graph (every actor, every pair) and the part of it that is drawn."""

    graph: nx.Graph
    #: The drawn nodes (at most :data:`MAX_NODES`) and their positions in [-1, 1].
    shown: list[str]
    positions: dict[str, tuple[float, float]]

    @property
    def hidden(self) -> int:
        return self.graph.number_of_nodes() - len(self.shown)

    def spellings(self, name: str) -> list[str]:
        return list(self.graph.nodes[name]["spellings"]) if name in self.graph else []

    def shown_edges(self) -> list[tuple[str, str, int]]:
        """(a, b, shared events) between drawn actors, a < b, heaviest first."""
        keep = set(self.shown)
        edges = [
            (*sorted((a, b)), int(w))
            for a, b, w in self.graph.edges(data="weight")
            if a in keep and b in keep
        ]
        return sorted(edges, key=lambda e: (-e[2], e[0], e[1]))

    def table(self) -> pd.DataFrame:
        """One row per actor: events, first and last date, partners, kind; most partners first."""
        rows = [
            {
                "actor": name,
                "kind": data["kind"],
                "events": data["events"],
                "first": data["first"],
                "last": data["last"],
                "partners": self.graph.degree(name),
            }
            for name, data in self.graph.nodes(data=True)
        ]
        frame = pd.DataFrame(rows, columns=["actor", "kind", "events", "first", "last", "partners"])
        return frame.sort_values(
            ["partners", "events", "actor"], ascending=[False, False, True], ignore_index=True
        )


def _day(value) -> date | None:
    if value is None or value != value:
        return None
    return pd.Timestamp(value).date()


def build(lists: pd.DataFrame, *, max_nodes: int = MAX_NODES) -> Network:
    """The network of the events in ``lists`` (:data:`~dashboard.engines.base.ACTOR_LIST_COLUMNS`).

    An event counts once for each actor in it and once for each pair, however many of its
    listed names are spellings of the same actor. When there are more than ``max_nodes``
    actors, those with the most partners are drawn (ties: more events, then name).
    """
    actors: dict[str, Actor] = {}
    weights: dict[tuple[str, str], int] = {}
    for row in lists.itertuples(index=False):
        names: dict[str, list[str]] = {}
        for written in row.actors:
            node = node_name(written)
            if node:
                names.setdefault(node, []).append(written.split("(", 1)[0].strip())
        n = int(row.events)
        first, last = _day(row.first), _day(row.last)
        for node, spelled in names.items():
            actor = actors.setdefault(node, Actor(node))
            actor.events += n
            actor.first = first if actor.first is None or first < actor.first else actor.first
            actor.last = last if actor.last is None or last > actor.last else actor.last
            for s in spelled:
                if s and s not in actor.spellings:
                    actor.spellings.append(s)
        for a, b in combinations(sorted(names), 2):
            weights[(a, b)] = weights.get((a, b), 0) + n
    graph = nx.Graph()
    for name in sorted(actors):
        a = actors[name]
        graph.add_node(
            name,
            events=a.events,
            first=a.first,
            last=a.last,
            kind=kind_of(name),
            spellings=tuple(a.spellings[:MAX_VALUES]),
        )
    for (a, b), w in sorted(weights.items()):
        graph.add_edge(a, b, weight=w)
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), -graph.nodes[n]["events"], n))
    shown = sorted(ranked[:max_nodes])
    return Network(graph, shown, layout(graph.subgraph(shown)))


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded force layout: heavier ties pull closer; the same graph, the same picture.

    Each connected group is laid out on its own: in one force layout, actors with no tie
    to the main group push it into a corner. The largest group takes the middle; the
    smaller ones sit on a ring around it, largest first.
    """
    groups = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    if not groups:
        return {}
    out: dict[str, tuple[float, float]] = {}
    main, rest = groups[0], groups[1:]
    radius = 0.78 if rest else 1.0
    out.update(_spring(graph.subgraph(main), (0.0, 0.0), radius))
    for i, group in enumerate(rest):
        angle = 2 * math.pi * i / len(rest) + math.pi / 2
        size = min(0.3, 0.07 * math.sqrt(len(group)))
        centre = (1.05 * math.cos(angle), 1.05 * math.sin(angle))
        out.update(_spring(graph.subgraph(group), centre, size))
    return {n: (round(x, 4), round(y, 4)) for n, (x, y) in out.items()}


def _spring(graph: nx.Graph, centre: tuple[float, float], scale: float) -> dict:
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): centre}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_weighted_edges_from(sorted((a, b, w) for a, b, w in graph.edges(data="weight")))
    k = 1.5 / max(1, graph.number_of_nodes()) ** 0.5
    pos = nx.spring_layout(
        ordered, seed=LAYOUT_SEED, weight="weight", k=k, iterations=80, scale=scale, center=centre
    )
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def actor_filter(f: Filters, net: Network, name: str) -> Filters:
    """The filters with the actor filter set to this node (every spelling of it, any of which
    an event may name): a click on a node narrows the view to that actor's events."""
    return replace(f, actors=tuple(net.spellings(name) or [name])[:MAX_VALUES])


def shared_filter(f: Filters, net: Network, a: str, b: str) -> Filters:
    """A filter that selects at least the events naming both ``a`` and ``b``: the actor
    filter of the one with fewer events (the page keeps only the rows naming both)."""
    if f.actors:
        return f
    pick = min((a, b), key=lambda n: (net.graph.nodes[n]["events"], n))
    return actor_filter(f, net, pick)


def names_both(actors: list[str], a: str, b: str, f: Filters) -> bool:
    """Whether an event with these actors names ``a`` and ``b`` and still meets ``f``'s
    actor filter (any of its names, folded, inside one of the event's actors)."""
    nodes = {node_name(x) for x in actors}
    if a not in nodes or b not in nodes:
        return False
    if not f.actors:
        return True
    blob = actors_blob(list(actors))
    return any(normalise(x) in blob for x in f.actors)


def shared_events(rows: pd.DataFrame, a: str, b: str, f: Filters) -> pd.DataFrame:
    """The rows (with an ``actors`` column) that name both actors, in the order given."""
    keep = [names_both(list(x), a, b, f) for x in rows["actors"]]
    return rows[keep].reset_index(drop=True)
