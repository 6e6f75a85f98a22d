"""A saved view (short link) opens exactly as the view it was saved from."""

from __future__ import annotations

import shutil
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import geo, saved_views, store, urlstate
from dashboard.filters import Filters, ViewState
from dashboard.schema import EVENT_TYPES

KNOWN = ("SYR", "IRQ", "MAR", "ITA", "TUR", "YEM")
PAGES = ("overview", "map", "timeline", "table", "event")


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    shipped = store.ensure_store(tmp_path_factory.mktemp("shipped") / "events.duckdb")
    copy = shipped.with_name("views.duckdb")
    shutil.copy(shipped, copy)
    return copy


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd"),
    min_size=1,
    max_size=200,
).filter(lambda s: s.strip() == s)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.sampled_from(PAGES),
    countries=st.lists(st.sampled_from(KNOWN), unique=True, max_size=4),
    types=st.lists(st.sampled_from(EVENT_TYPES), unique=True),
    actors=st.lists(text, unique=True, max_size=50),
    q=st.one_of(st.just(""), text),
    span=st.tuples(st.one_of(st.none(), dates), st.one_of(st.none(), dates)),
    batch=st.one_of(st.just(""), st.from_regex(r"\d{14}-[0-9a-f]{8}", fullmatch=True)),
    event=st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9:._-]{0,30}", fullmatch=True)),
    lang=st.sampled_from(["en", "ar"]),
    centre=st.one_of(
        st.none(),
        st.tuples(
            st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 4)),
            st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 4)),
        ),
    ),
    zoom=st.one_of(st.none(), st.integers(1, 18)),
    version=st.one_of(st.none(), st.integers(0, 10**9)),
)
def test_view_to_short_id_to_view_is_lossless(
    path, page, countries, types, actors, q, span, batch, event, lang, centre, zoom, version
):
    f, _ = Filters.clean(
        countries=countries,
        date_from=span[0],
        date_to=span[1],
        types=types,
        actors=actors,
        text=q,
        batch=batch,
        as_of=version,
    )
    state = ViewState(
        page=page,
        filters=f,
        event=event,
        lang=lang,
        lat=centre[0] if centre else None,
        lon=centre[1] if centre else None,
        zoom=zoom,
    )
    view_id = saved_views.save(path, state)
    assert saved_views.ID_PATTERN.match(view_id)
    loaded, notices = saved_views.load(path, view_id, is_country=geo.is_country_code)
    assert notices == [] and loaded == state


def test_a_view_too_long_for_the_server_still_has_a_short_link(path):
    # 50 Arabic actor names of 200 letters, as the sidebar allows: 60 KB as a query string.
    actors = tuple(f"{i:02d}" + "غ" * 198 for i in range(50))
    state = ViewState(page="table", filters=Filters(actors=actors, text="غ" * 200), lang="ar")
    query = urlstate.query_string(state)
    assert saved_views.too_long(query) and len(query) > 60_000
    view_id = saved_views.save(path, state, "long")
    assert len(f"/?view={view_id}") < 30
    assert saved_views.load(path, view_id)[0] == state


def test_saved_views_are_listed_renamed_watched_and_deleted(path):
    view_id = saved_views.save(path, ViewState(filters=Filters(countries=("SYR",))), "Syria")
    saved_views.rename(path, view_id, "  Syria,   all  ")
    saved_views.watch(path, view_id)
    found = {v.view_id: v for v in saved_views.listed(path)}[view_id]
    assert found.name == "Syria, all" and found.watched and found.seen_version is not None
    saved_views.delete(path, view_id)
    assert saved_views.get(path, view_id) is None
    with pytest.raises(saved_views.ViewError):
        saved_views.rename(path, view_id, "gone")


def test_a_saved_view_altered_in_the_file_is_checked_like_any_link(path):
    view_id = saved_views.save(path, ViewState())
    with store.connect(path) as con:
        bad = "country=XXX&" + "from=" + quote("2022-13-45") + "&q=ok"
        con.execute(
            "UPDATE views SET query = ?, page = ? WHERE view_id = ?", [bad, "../x", view_id]
        )
    state, notices = saved_views.load(path, view_id, is_country=geo.is_country_code)
    assert state.page == "overview" and state.filters.text == "ok"
    assert {n.param for n in notices} == {"country", "from"}
    assert saved_views.load(path, "not-an-id") is None
    assert saved_views.load(path, "A" * 16) is None


def test_the_watch_command_prints_what_is_new_in_each_watched_view(path, tmp_path, capsys):
    import json

    from dashboard import cli, importer, synthetic

    copy = tmp_path / "w.duckdb"
    shutil.copy(path, copy)
    view_id = saved_views.save(copy, ViewState(filters=Filters(countries=("SYR",))), "Syria")
    saved_views.watch(copy, view_id)
    assert cli.main(["watch", "--json", "--store", str(copy)]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["view"] == view_id and entry["new"] == []
    synthetic.write_acled_csv(tmp_path / "acled.csv", 200)
    importer.import_file(tmp_path / "acled.csv", copy, fmt="acled")
    assert cli.main(["watch", "--store", str(copy)]) == 0
    out = capsys.readouterr().out
    syrian = out.count("/event?event=")
    assert syrian > 0 and f"/?view={view_id}" in out and "added " in out
    # Every listed event is one the view selects: a Syrian event of the import.
    assert out.count("acled:") == syrian
    saved_views.mark_seen(copy, view_id)
    assert cli.main(["watch", "--json", "--store", str(copy)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["new"] == []


def test_exporting_a_short_link_writes_exactly_its_rows_at_its_version(path, tmp_path, capsys):
    import pandas as pd

    from dashboard import cli, importer, synthetic, versions

    copy = tmp_path / "e.duckdb"
    shutil.copy(path, copy)
    pinned = Filters(countries=("SYR",), as_of=versions.current(copy))
    view_id = saved_views.save(copy, ViewState(page="table", filters=pinned), "Syria then")
    with store.connect(copy, read_only=True) as con:
        from dashboard.engines.sql import SqlEngine
        from dashboard.query import EventQuery

        then = EventQuery(SqlEngine(con)).export_rows(pinned)["event_id"].tolist()
    synthetic.write_acled_csv(tmp_path / "acled.csv", 200)
    assert importer.import_file(tmp_path / "acled.csv", copy, fmt="acled").committed
    out = tmp_path / "out.csv"
    code = cli.main(["export", "--query", f"view={view_id}", "-o", str(out), "--store", str(copy)])
    assert code == 0, capsys.readouterr().err
    assert pd.read_csv(out, encoding="utf-8-sig")["event_id"].tolist() == then
    assert len(then) > 0
    now = tmp_path / "now.csv"
    assert cli.main(["export", "--query", "country=SYR", "-o", str(now), "--store", str(copy)]) == 0
    assert len(pd.read_csv(now, encoding="utf-8-sig")) > len(then)  # the import added some


def test_exporting_an_unknown_short_link_writes_nothing_and_exits_2(path, tmp_path, capsys):
    from dashboard import cli

    out = tmp_path / "out.csv"
    for view_id in ("A" * 16, "not-an-id"):
        code = cli.main(
            ["export", "--query", f"view={view_id}", "-o", str(out), "--store", str(path)]
        )
        err = capsys.readouterr().err
        assert code == 2 and f"there is no saved view '{view_id}'" in err
        assert not out.exists()


def test_exporting_a_short_link_says_what_else_the_query_held(path, tmp_path, capsys):
    from dashboard import cli

    view_id = saved_views.save(path, ViewState(filters=Filters(countries=("IRQ",))), "Iraq")
    out = tmp_path / "out.csv"
    args = [
        "export",
        "--query",
        f"view={view_id}&country=SYR",
        "-o",
        str(out),
        "--store",
        str(path),
    ]
    assert cli.main(args) == 0
    assert "country='SYR' ignored: a saved view is opened whole" in capsys.readouterr().err
    assert set(__import__("pandas").read_csv(out, encoding="utf-8-sig")["country"]) == {"IRQ"}
    assert cli.main([*args, "--strict"]) == 2


def test_exporting_a_pinned_link_writes_edited_and_deleted_events_as_they_were(
    path, tmp_path, capsys
):
    import pandas as pd

    from dashboard import cli, curation, versions

    copy = tmp_path / "p.duckdb"
    shutil.copy(path, copy)
    made_on = versions.current(copy)
    view_id = saved_views.save(
        copy, ViewState(filters=Filters(countries=("MAR",), as_of=made_on)), "Morocco then"
    )
    then = tmp_path / "then.csv"
    assert (
        cli.main(["export", "--query", f"view={view_id}", "-o", str(then), "--store", str(copy)])
        == 0
    )
    meeting = "ref-2022-05-11-marrakesh-meeting"
    event = curation.get_event(copy, meeting)
    curation.update_event(copy, meeting, {"title": "Renamed"}, "Layla", curation.fingerprint(event))
    curation.delete_event(copy, "ref-2023-02-28-rabat-statement", "Layla")
    for query in (f"view={view_id}", f"country=MAR&v={made_on}"):
        out = tmp_path / "out.csv"
        assert cli.main(["export", "--query", query, "-o", str(out), "--store", str(copy)]) == 0
        assert out.read_bytes() == then.read_bytes(), query
    rows = pd.read_csv(then, encoding="utf-8-sig")
    assert "Renamed" not in set(rows["title"]) and len(rows) == 5
    capsys.readouterr()
