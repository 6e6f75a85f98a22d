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
