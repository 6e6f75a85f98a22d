"""The co-participation network: what an analyst reads off the /actors page."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import network
from dashboard.filters import Filters


def lists(*rows) -> pd.DataFrame:
    """Rows of (actors, events, first, last), as EventQuery.actor_lists returns them."""
    return pd.DataFrame(
        [
            {
                "key": "|".join(a),
                "actors": list(a),
                "events": n,
                "first": pd.Timestamp(s),
                "last": pd.Timestamp(e),
            }
            for a, n, s, e in rows
        ]
    )


def test_spellings_of_one_actor_are_one_node_and_counted_once_per_event():
    net = network.build(
        lists(
            (["ISIS", "Global Coalition"], 2, "2022-01-20", "2022-01-30"),
            (["داعش", "SDF"], 3, "2021-05-01", "2021-06-01"),
            (
                ["Islamic State (claimed)", "Syrian Democratic Forces", "Daesh"],
                1,
                "2023-01-01",
                "2023-01-01",
            ),
        )
    )
    assert sorted(net.graph.nodes) == [
        "Global Coalition to Defeat ISIS",
        "ISIS",
        "Syrian Democratic Forces",
    ]
    isis = net.graph.nodes["ISIS"]
    assert isis["events"] == 6  # the third event names it twice: still one event
    assert (isis["first"], isis["last"]) == (date(2021, 5, 1), date(2023, 1, 1))
    assert net.graph["ISIS"]["Syrian Democratic Forces"]["weight"] == 4
    assert net.graph["ISIS"]["Global Coalition to Defeat ISIS"]["weight"] == 2
    assert set(net.spellings("ISIS")) == {"ISIS", "داعش", "Islamic State", "Daesh"}


def test_the_table_gives_events_dates_partners_and_kind_most_partners_first():
    net = network.build(
        lists(
            (
                ["United States (SecState Antony Blinken, co-host)", "Italy", "Morocco"],
                1,
                "2022-05-11",
                "2022-05-11",
            ),
            (["United States", "Iraq"], 2, "2014-12-03", "2020-06-04"),
            (["Somebody new", "Iraq"], 1, "2019-01-01", "2019-01-01"),
        )
    )
    table = net.table()
    assert table["actor"].tolist()[0] == "United States"
    us = table.set_index("actor").loc["United States"]
    assert (us["events"], us["partners"], us["kind"]) == (3, 3, "state")
    assert (us["first"], us["last"]) == (date(2014, 12, 3), date(2022, 5, 11))
    assert table.set_index("actor").loc["Somebody new", "kind"] == "unknown"


def test_kinds_come_from_the_table_by_any_spelling():
    assert network.kind_of("ISIS") == "armed group"
    assert network.kind_of("داعش") == "armed group"
    assert network.kind_of("NATO") == "international organisation"
    assert network.kind_of("Morocco") == "state"
    assert network.kind_of("A group nobody listed") == "unknown"


def test_a_bad_kinds_row_is_an_error_naming_its_line(tmp_path):
    bad = tmp_path / "kinds.csv"
    bad.write_text("name,kind\nISIS,armed group\nMorocco,kingdom\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        network._kinds(bad)


def test_too_many_actors_draws_those_with_most_partners_and_counts_the_rest():
    hub = [(["Hub", f"Spoke {i:02d}"], 1, "2020-01-01", "2020-01-01") for i in range(30)]
    pair = [(["Lonely A", "Lonely B"], 5, "2020-01-01", "2020-01-01")]
    net = network.build(lists(*hub, *pair), max_nodes=10)
    assert len(net.shown) == 10 and net.hidden == 23
    assert "Hub" in net.shown
    assert all(a in net.shown and b in net.shown for a, b, _ in net.shown_edges())
    assert len(net.table()) == 33  # the table keeps every actor


def test_the_same_filter_draws_the_same_picture_whatever_the_row_order():
    rows = [
        (["A", "B", "C"], 3, "2020-01-01", "2020-02-01"),
        (["B", "D"], 1, "2020-01-01", "2020-01-01"),
        (["C", "E", "A"], 2, "2020-03-01", "2020-03-01"),
    ]
    one = network.build(lists(*rows))
    two = network.build(lists(*reversed(rows)))
    assert one.positions == two.positions
    assert set(one.positions) == {"A", "B", "C", "D", "E"}
    assert len({p for p in one.positions.values()}) == 5  # no two nodes on one spot


def test_a_click_on_a_node_filters_by_every_spelling_and_keeps_the_other_filters():
    net = network.build(lists((["داعش", "ISIS", "Iraq"], 1, "2020-01-01", "2020-01-01")))
    base = Filters(countries=("IRQ",), types=("attack",))
    f = network.actor_filter(base, net, "ISIS")
    assert set(f.actors) == {"داعش", "ISIS"}
    assert (f.countries, f.types) == (("IRQ",), ("attack",))


def test_shared_events_name_both_actors_under_any_spelling():
    rows = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "actors": [
                ["Islamic State (claimed)", "SDF"],
                ["ISIS", "Iraq"],
                ["داعش", "Syrian Democratic Forces", "US forces"],
                ["SDF"],
            ],
        }
    )
    got = network.shared_events(rows, "ISIS", "Syrian Democratic Forces", Filters())
    assert got["event_id"].tolist() == ["a", "c"]
    # The page's own actor filter still applies to the shared events.
    only_us = network.shared_events(
        rows, "ISIS", "Syrian Democratic Forces", Filters(actors=("US forces",))
    )
    assert only_us["event_id"].tolist() == ["c"]


def test_no_events_no_network():
    net = network.build(lists())
    assert net.shown == [] and net.hidden == 0 and net.table().empty
