"""Free-text search as an Arabic-reading analyst uses it: any script, any common spelling."""

import json

import pytest

from dashboard import aliases, hotcopy, store
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.store import memory_from_records
from dashboard.text import normalise


def record(event_id, day, event_type="meeting", **extra):
    base = {
        "event_id": event_id,
        "event_date": day,
        "event_type": event_type,
        "title": extra.pop("title", event_id),
        "sources": [{"publisher": "test", "url": "https://example.org/x"}],
    }
    base.update(extra)
    return base


RECORDS = [
    record(
        "prison",
        "2022-01-20",
        "attack",
        country="SYR",
        title="ISIS attack on al-Sina'a (Ghwayran) prison",
        actors=["Islamic State"],
        location="al-Hasakah (Ghwayran/al-Sina'a prison)",
    ),
    record(
        "marrakesh",
        "2022-05-11",
        country="MAR",
        location="Marrakesh",
        title="Ministerial meeting of the Global Coalition to Defeat Daesh/ISIS",
        actors=["Morocco (FM Nasser Bourita, co-host)"],
    ),
    record(
        "rome_ar",
        "2021-06-28",
        country="ITA",
        title="",
        title_ar="اجتماع التَّحالُف الدولي في رُوما",
        actors=["لويجي دي مايو"],
    ),
    record(
        "hasakah_ar",
        "2022-01-26",
        "statement",
        country="SYR",
        title="",
        title_ar="قسد تعلن السيطرة على سجن غويران في الحسكة",
    ),
    record(
        "daesh_ar",
        "2015-05-17",
        "attack",
        country="IRQ",
        title="",
        title_ar="هجوم لتنظيم “الدولة” على الرمادي",
    ),
    record(
        "crisis",
        "2019-03-01",
        "meeting",
        title="Talks on the Syrian crisis in Geneva",
        actors=["UN (Special Envoy)"],
    ),
    record("senator", "2019-03-02", "statement", title="A senator's statement on Rome talks"),
    record("year", "2022-02-01", "statement", title="Communique of 2022 on Hassakeh"),
]


@pytest.fixture(scope="module", params=["sql", "frame", "frame, text in DuckDB"])
def q(request, tmp_path_factory):
    """Each engine a page may be answered by: SQL alone; the hot copy's filter frame with
    the text in Polars; and the frame with its text budget spent, DuckDB matching text."""
    if request.param == "sql":
        return EventQuery(SqlEngine(memory_from_records(RECORDS)))
    shipped = tmp_path_factory.mktemp("search") / "records.jsonl"
    shipped.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS))
    hot = hotcopy.load(store.ensure_store(shipped.with_suffix(".duckdb"), shipped))
    assert hot.ready.wait(60) and hot.frame is not None
    if request.param != "frame":
        hot.frame.index = None
    assert (hot.frame.index is None) == (request.param != "frame")
    assert hot.frame.text is None  # the index answers without it; else the file does
    return EventQuery(hot.engine())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one place, every script and spelling
        ("غويران", {"prison", "hasakah_ar"}),
        ("Ghwayran", {"prison", "hasakah_ar"}),
        ("ghweiran", {"prison", "hasakah_ar"}),
        ("Ghuwayran", {"prison", "hasakah_ar"}),
        ("al-Sina'a prison", {"prison", "hasakah_ar"}),
        ("al sinaa prison", {"prison", "hasakah_ar"}),
        ("سجن الصناعة", {"prison", "hasakah_ar"}),
        # the group's own name in Arabic, Daesh, and the multi-word names as phrases
        ("Daesh", {"prison", "marrakesh", "daesh_ar"}),
        ("داعش", {"prison", "marrakesh", "daesh_ar"}),
        ("ISIL", {"prison", "marrakesh", "daesh_ar"}),
        ("الدولة الإسلامية", {"prison", "marrakesh", "daesh_ar"}),
        ("تنظيم الدولة", {"prison", "marrakesh", "daesh_ar"}),
        ("Islamic State", {"prison", "marrakesh", "daesh_ar"}),
        # a phrase plus an ordinary word: both must match
        ("Islamic State attack", {"prison"}),
        ("داعش هجوم", {"daesh_ar"}),
        ("داعش الرمادي", {"daesh_ar"}),
        ("مراكش", {"marrakesh"}),
        ("Marrakech", {"marrakesh"}),
        ("روما", {"rome_ar", "senator"}),
        ("Rome", {"rome_ar", "senator"}),
        ("Hasakah", {"prison", "hasakah_ar", "year"}),
        ("الحسكة", {"prison", "hasakah_ar", "year"}),
        ("حسكة", {"prison", "hasakah_ar", "year"}),
        ("بوريطة", {"marrakesh"}),
        ("Di Maio", {"rome_ar"}),
        ("التحالف الدولي", {"marrakesh", "rome_ar"}),
        # diacritics, hamza and ta marbuta on either side
        ("رُوما", {"rome_ar", "senator"}),
        ("التحالف", {"rome_ar"}),  # one word of a name is no alias: a plain substring
        ("اجتماع", {"rome_ar"}),
        ("إجتماع", {"rome_ar"}),
        ("سجن غويرانْ", {"prison", "hasakah_ar"}),
        # Arabic-Indic and Persian digits
        ("٢٠٢٢", {"year"}),
        ("۲۰۲۲", {"year"}),
        # an alias spelling is a word start: ISIS does not find "crisis", NATO no "senator"
        ("isis", {"prison", "marrakesh", "daesh_ar"}),
        ("NATO", set()),
        # unknown words behave as before: plain substrings, all required
        ("crisis", {"crisis"}),
        ("Geneva talks", {"crisis"}),
        ("' OR '1'='1", set()),
    ],
)
def test_text_search_finds_every_spelling(q, text, expected):
    ids = set(q.rows(Filters(text=text), limit=None)["event_id"])
    assert ids == expected


def test_expand_terms_crosses_scripts():
    assert "ghwayran" in aliases.expand_terms("غويران")
    assert "غويران" in aliases.expand_terms("Ghweiran")
    assert "داعش" in aliases.expand_terms("Daesh")
    assert "marrakesh" in aliases.expand_terms("مراكش")
    assert aliases.expand_terms("مراكش")[0] == "مراكش"
    assert aliases.expand_terms("something else") == ["something else"]
    assert aliases.expand_terms("") == []


def test_expansions_are_capped_and_bound():
    where, params = Filters(text="داعش غويران مراكش روما بلينكن بوريطة").where()
    assert len(params) <= 6 * aliases.MAX_EXPANSIONS
    assert "داعش" not in where and "isis" not in where
    assert where.count("?") == len(params)


def test_short_aliases_are_not_searched_inside_words():
    # "UN" and "EU" are spellings the extractor knows, but as substrings they match
    # "under" and "Europe"; search drops them.
    assert all(
        len(term) >= aliases.MIN_SEARCH_LENGTH for term in aliases.expand_terms("الأمم المتحدة")
    )


def test_phrase_is_matched_before_words():
    terms = aliases.search_terms("هجوم الدولة الإسلامية في الحسكة")
    assert [t.text for t in terms] == ["هجوم", "الدوله الاسلاميه", "في", "الحسكه"]
    assert terms[1].aliased and "isis" in terms[1].alternatives


def test_every_alias_row_is_well_formed():
    groups = aliases.load()
    assert {g.kind for g in groups} == {"place", "actor"}
    names = {g.canonical for g in groups}
    for needed in (
        "ISIS",
        "Global Coalition to Defeat ISIS",
        "Marrakesh",
        "Rome",
        "al-Hasakah",
        "al-Sina'a (Ghwayran) prison",
        "Antony Blinken",
        "Nasser Bourita",
        "Luigi Di Maio",
    ):
        assert needed in names
    # no spelling may stand for two different things of the same kind
    seen: dict[tuple[str, str], str] = {}
    for g in groups:
        for s in g.spellings:
            key = (g.kind, aliases.alias_key(s))
            assert seen.setdefault(key, g.canonical) == g.canonical, s


def test_normalise_folds_what_arabic_writers_vary():
    assert normalise("تنظيم “الدولة”") == normalise("تنظيم الدولة")
    assert normalise("إجتماعٌ وزاريّ") == normalise("اجتماع وزاري")
    assert normalise("مدرسة") == normalise("مدرسه")
    assert normalise("مستشفى") == normalise("مستشفي")
    assert normalise("ﻣﺮﺍﻛﺶ") == normalise("مراكش")  # presentation forms
    assert normalise("ـمـراكـش") == "مراكش"  # tatweel
    assert normalise("١١ أيار ٢٠٢٢") == "11 ايار 2022"
    assert normalise("Marrakech É") == "marrakech e"
