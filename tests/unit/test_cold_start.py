"""A cold start reads what the store keeps prepared without holding the store meanwhile."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from dashboard import hotcopy, store
from dashboard.engines.wordindex import WordIndex
from dashboard.filters import Filters
from dashboard.query import EventQuery


@pytest.fixture()
def path(tmp_path):
    return store.ensure_store(tmp_path / "s.duckdb")


def test_the_store_is_free_while_the_word_index_is_laid_out(path, monkeypatch):
    mem = hotcopy.load(path, prepare=False)
    laying_out, go_on = threading.Event(), threading.Event()
    made = WordIndex.from_read.__func__

    def slow(cls, *args, **kwargs):
        laying_out.set()
        assert go_on.wait(30)
        return made(cls, *args, **kwargs)

    monkeypatch.setattr(WordIndex, "from_read", classmethod(slow))
    prepare = threading.Thread(target=mem.frame.hold_text)
    prepare.start()
    try:
        assert laying_out.wait(30)
        # Another page's visit and a writer both get the file at once.
        with store.connect(path, retries=2) as con:
            con.execute("SELECT count(*) FROM events").fetchone()
    finally:
        go_on.set()
        prepare.join(30)
    assert mem.frame.index is not None
    q = EventQuery(mem.engine())
    assert q.count(Filters(text="ghwayran")) == q.count(Filters(text="Ghwayran"))


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN")
con.execute("UPDATE meta SET value = value WHERE key = 'schema'")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
con.close()
"""


def test_a_cold_start_while_another_process_writes_waits_for_it(path):
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "held"
        start = time.perf_counter()
        mem = hotcopy.load(path)
        assert mem.ready.wait(60)
        assert EventQuery(mem.engine()).count(Filters()) > 0
        assert time.perf_counter() - start < 30
    finally:
        writer.wait(30)
    assert writer.returncode == 0


TERMS = ["ghwayran", "coalition meeting", "marrakesh", "al"]


def _answers(mem) -> list[int]:
    q = EventQuery(mem.engine())
    return [q.count(Filters(text=term)) for term in TERMS]


def _started(path):
    mem = hotcopy.load(path)
    assert mem.ready.wait(60)
    return mem


def test_a_start_reuses_the_index_the_last_start_laid_out(path, monkeypatch):
    first = _started(path)
    kept = first.frame.saved_index_path
    assert kept.exists()
    monkeypatch.setattr(WordIndex, "from_read", None)  # reading the store would fail now
    again = _started(path)
    assert again.frame.index is not None and again.frame.text is None
    assert _answers(again) == _answers(first)
    assert list(kept.parent.glob(kept.name + ".*")) == []  # no temporary file left


def test_a_changed_store_or_a_damaged_file_lays_the_index_out_again(path):
    from dashboard import curation

    first = _started(path)
    kept = first.frame.saved_index_path
    stamp = kept.stat().st_mtime_ns
    event = curation.get_event(path, MEETING)
    curation.update_event(
        path,
        MEETING,
        {"summary": "Ministers met in Ghwayran."},
        "Layla",
        curation.fingerprint(event),
    )
    changed = _started(path)
    assert kept.stat().st_mtime_ns != stamp  # another version: laid out and kept again
    assert _answers(changed)[0] == _answers(first)[0] + 1
    for damage in (kept.read_bytes()[: kept.stat().st_size // 2], b"not an index"):
        kept.write_bytes(damage)
        again = _started(path)
        assert again.frame.index is not None
        assert _answers(again) == _answers(changed)
    # Flipped bytes inside an array: its digest no longer matches.
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF
    kept.write_bytes(bytes(data))
    assert _answers(_started(path)) == _answers(changed)


MEETING = "ref-2022-05-11-marrakesh-meeting"


ROUND = Filters(countries=("SYR", "IRQ", "MAR"), types=("attack", "meeting"))


def _round(mem) -> tuple:
    q = EventQuery(mem.engine())
    return (
        q.count(ROUND),
        q.counts_by(ROUND, "country").to_dict("list"),
        q.period_counts(ROUND, "month").astype(str).to_dict("list"),
        q.rows(ROUND, limit=20)["event_id"].tolist(),
        q.count(Filters(actors=("Islamic State",))),
        _answers(mem),
    )


def test_a_start_reads_the_frame_the_last_start_kept(path, monkeypatch):
    from dashboard.engines import frame

    first = _started(path)
    kept = first.frame.saved_frame_path
    assert kept.exists() and first.frame.built
    monkeypatch.setattr(frame, "_built", None)  # building the frame would fail now
    again = _started(path)
    assert not again.frame.built
    assert _round(again) == _round(first)
    assert list(kept.parent.glob(kept.name + ".*")) == []  # no temporary file left


def test_a_changed_store_or_a_damaged_kept_frame_builds_the_frame_again(path):
    from dashboard import curation

    first = _started(path)
    kept = first.frame.saved_frame_path
    event = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"event_type": "statement"}, "Layla", curation.fingerprint(event)
    )
    changed = _started(path)
    assert changed.frame.built  # another version: the kept frame is not this store's
    assert changed.frame.frame.height == first.frame.frame.height
    assert _round(changed) != _round(first)  # the meeting is a statement now
    for damage in (kept.read_bytes()[: kept.stat().st_size // 2], b"not a frame"):
        kept.write_bytes(damage)
        again = _started(path)
        assert again.frame.built
        assert _round(again) == _round(changed)


def test_a_copy_patched_to_an_earlier_version_never_reads_the_kept_frame(path, monkeypatch):
    from dashboard.engines import framefile

    _started(path)
    read = []
    monkeypatch.setattr(framefile, "load", lambda *a: read.append(a))
    mem = hotcopy.load(path, prepare=False)
    assert len(read) == 1  # the store's own frame only
    assert mem.frame.built


def test_the_postings_are_read_in_short_visits_that_agree_with_one_long_one(path, monkeypatch):
    from dashboard import curation
    from dashboard.engines import wordindex

    with store.connect(path, read_only=True) as con:
        now = store._file_version(con)
    whole_docs, whole = wordindex.read_store_in_visits(path, now, per_visit=10**12)
    visits = []
    real = store.same_version

    def counted(*args):
        visits.append(args)
        return real(*args)

    monkeypatch.setattr(store, "same_version", counted)
    docs, parts = wordindex.read_store_in_visits(path, now, per_visit=50)
    assert len(visits) > 5  # many short visits, not one long one
    assert parts.to_pylist() == whole.to_pylist()
    assert docs["doc"].tolist() == whole_docs["doc"].tolist()

    # A writer between two visits: the read stops rather than mixing two versions.
    def edit_between(*args):
        if len(visits) == 2:
            event = curation.get_event(path, MEETING)
            curation.update_event(
                path, MEETING, {"summary": "changed"}, "Layla", curation.fingerprint(event)
            )
        visits.append(args)
        return real(*args)

    visits.clear()
    monkeypatch.setattr(store, "same_version", edit_between)
    with pytest.raises(store.StoreChanged):
        wordindex.read_store_in_visits(path, now, per_visit=50)
