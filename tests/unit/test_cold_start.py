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
