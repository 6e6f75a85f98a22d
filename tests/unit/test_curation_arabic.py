"""Every refusal the curation layer gives reads in Arabic on an Arabic page, naming the
field as the form names it; only ids, names, codes and values stay as written."""

from __future__ import annotations

import re

import pytest

from dashboard import curation, store
from dashboard.curation import CurationError
from dashboard.strings import refusal_text, t

EVENT = "ref-2022-05-11-marrakesh-meeting"
SOURCE = {"publisher": "Reuters", "url": "https://example.org/a", "language": "en"}


@pytest.fixture()
def path(tmp_path):
    return store.ensure_store(tmp_path / "events.duckdb")


def _new(**fields) -> dict:
    record = {
        "event_id": "curated-1",
        "event_date": "2022-05-11",
        "event_type": "meeting",
        "title": "A meeting",
        "country": "MAR",
        "sources": [SOURCE],
        "verification": "verified",
        "date_precision": "day",
    }
    return {**record, **fields}


def refusals(path) -> list[str]:
    """The refusals an analyst can meet, each from the curation layer itself."""
    meeting = curation.get_event(path, EVENT)
    fp = curation.fingerprint(meeting)
    tries = [
        lambda: curation.create_event(path, _new(), ""),
        lambda: curation.create_event(path, _new(), "x" * 200),
        lambda: curation.create_event(path, _new(event_id=EVENT), "Layla"),
        lambda: curation.create_event(path, _new(title="", title_ar=""), "Layla"),
        lambda: curation.create_event(path, _new(event_date=None), "Layla"),
        lambda: curation.create_event(path, _new(end_date="2022-05-01"), "Layla"),
        lambda: curation.create_event(path, _new(latitude=31.6), "Layla"),
        lambda: curation.create_event(path, _new(latitude=120, longitude=8), "Layla"),
        lambda: curation.create_event(path, _new(sources=[]), "Layla"),
        lambda: curation.create_event(path, _new(fatalities=-3), "Layla"),
        lambda: curation.update_event(path, EVENT, {"notes": meeting["notes"]}, "Layla", fp),
        lambda: curation.update_event(path, EVENT, {"notes": "n"}, "Layla", "stale"),
        lambda: curation.update_event(path, "nope", {"notes": "n"}, "Layla", fp),
        lambda: curation.undo_last(path, "Nobody"),
        lambda: curation.restore_event(path, EVENT, "Layla"),
        lambda: curation.delete_event(path, "nope", "Layla", fp),
        lambda: curation.merge_source(path, EVENT, meeting["sources"][0], "Layla"),
    ]
    out = []
    for attempt in tries:
        with pytest.raises(CurationError) as refused:
            attempt()
        out.append(str(refused.value))
    return out


def test_every_refusal_reads_in_arabic(path):
    messages = refusals(path)
    assert len(set(messages)) == len(messages)  # each a different refusal
    for message in messages:
        arabic = refusal_text(message, "ar")
        assert not arabic.endswith(t("in_english", "ar")), message  # not left in English
        # what stays Latin is data: ids, names, codes, dates, quoted values
        latin = set(re.findall(r"[A-Za-z]{3,}", arabic))
        quoted = set(re.findall(r"[A-Za-z]{3,}", " ".join(re.findall(r"'[^']*'|\S+-\S+", message))))
        assert latin <= quoted | {"Layla", "Nobody", "nope", "stale", "ISO", "alpha"}, (
            message,
            arabic,
        )
        assert refusal_text(message, "en") == message


def test_a_refused_field_is_named_as_the_arabic_form_names_it(path):
    with pytest.raises(CurationError) as refused:
        curation.create_event(path, _new(title="", title_ar=""), "Layla")
    arabic = refusal_text(str(refused.value), "ar")
    assert arabic == (
        f"لم يُحفظ: «{t('f_title', 'ar')}»: العنوان بالإنجليزية والعنوان بالعربية فارغان كلاهما"
    )


def test_ids_and_names_in_an_arabic_refusal_are_isolated(path):
    arabic = refusal_text(refusals(path)[2], "ar")
    assert arabic == f"لم يُحفظ: يوجد حدث بالمعرّف \u2068{EVENT}\u2069"


def test_an_unknown_refusal_stays_in_english_marked_as_such():
    assert refusal_text("disk full", "ar") == f"disk full {t('in_english', 'ar')}"
