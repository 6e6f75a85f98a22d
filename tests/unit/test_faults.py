"""Faults: a process killed mid-write, a second writer, a full disk.

Each kill test runs the real operation in a child process, SIGKILLs it at a random
moment (several times), then opens the store the way the dashboard does and checks it
holds exactly the state before the operation or exactly the state after it, with
nothing lost that the child had reported as saved, and no half-built file that could
be taken for a store. ``FAULT_SEED`` in the environment replays a run's delays.
"""

from __future__ import annotations

import errno
import inspect
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import cli, curation, export, store, wordstore
from dashboard.curation import CurationError

REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("FAULT_SEED", str(time.time_ns() % 1_000_000)))
RUNS = 5
#: Events each killed operation writes: enough that the write takes a second or more here.
ROWS = 100_000
SHIPPED_ROWS = 50_000  # a refresh rewrites every shipped record: slower per row
MEETING = "ref-2022-05-11-marrakesh-meeting"
ROME = "ref-2021-06-28-rome-meeting"

#: Run before every child's own code: the repository on sys.path, and a line on stdout
#: when the child opens the store for writing, so kills can be aimed at the write.
PRELUDE = f"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, {str(REPO)!r})
from contextlib import contextmanager
from dashboard import store
PATH = Path(sys.argv[1])
_connect = store.connect

class _Spy:
    # the connection, saying on stdout when it first changes data and when it commits

    def __init__(self, con):
        self._con = con

    changed = False

    def execute(self, sql, *args, **kwargs):
        word = sql.split(None, 1)[0].upper() if isinstance(sql, str) and sql.strip() else ""
        if word in ("INSERT", "DELETE", "UPDATE") and not self.changed:
            self.changed = True
            print("FIRST-CHANGE", flush=True)
        if word == "COMMIT":
            print("COMMIT", flush=True)
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


@contextmanager
def _announce(*args, **kwargs):
    with _connect(*args, **kwargs) as con:
        if kwargs.get("read_only") or os.environ.get("ANNOUNCE", "1") != "1":
            yield con
            return
        print("WRITING", flush=True)
        time.sleep(float(os.environ.get("HOLD_SECONDS", "0")))
        yield _Spy(con)

store.connect = _announce
"""


def child_script(body: str) -> str:
    return PRELUDE + textwrap.dedent(body)


@dataclass
class Outcome:
    killed: bool
    lines: list[str]
    seconds: float  # from the marker (or start) to the kill or the exit
    times: dict[str, float]  # each line's first appearance, in seconds after the marker


def run_child(
    script: str,
    path: Path,
    *,
    env: dict | None = None,
    kill_after: float | None = None,
    marker: str | None = None,
    timeout: float = 240,
) -> Outcome:
    """Run ``script`` on the store ``path``; with ``kill_after``, SIGKILL it that many
    seconds after it printed ``marker``."""
    err = path.parent / f".child-{time.time_ns()}.err"
    with open(err, "w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=REPO,
        )
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put((time.monotonic(), line.rstrip("\n")))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    eof = False
    if marker is not None:
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                proc.kill()
                raise AssertionError(f"child never printed {marker!r}") from None
            if line is None:
                eof = True
                break
            started, line = line
            seen.append(line)
            if line == marker:
                break
    killed = False
    if kill_after is not None and not eof:
        time.sleep(kill_after)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
    try:
        proc.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    seconds = time.monotonic() - started
    reader.join(timeout=10)
    times: dict[str, float] = {}
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            seen.append(line[1])
            times.setdefault(line[1], line[0] - started)
    message = err.read_text(errors="replace")
    err.unlink(missing_ok=True)
    if not killed:
        assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{message[-3000:]}"
    return Outcome(killed, seen, seconds, times)


@dataclass(frozen=True)
class State:
    events: int
    digest: str
    audit: int
    trash: int
    batches: int
    version: str | None
    #: Pairs (token, event) the word index and the text disagree on: 0 in every whole state.
    index_off: int = 0


def snapshot(path: Path) -> State:
    """What a user would see of the store: every event's fields, the logs, the version."""
    with store.connect(path, read_only=True) as con:
        events, digest = con.execute(
            "SELECT count(*), md5(COALESCE(string_agg(concat_ws('|', event_id, title, summary, "
            "notes, dataset, batch_id, CAST(event_date AS VARCHAR), CAST(latitude AS VARCHAR), "
            "CAST(actors AS VARCHAR), sources), chr(10) ORDER BY event_id), '')) FROM events"
        ).fetchone()

        def count(table: str) -> int:
            try:
                return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            except Exception:  # noqa: BLE001 - a table that does not exist holds nothing
                return 0

        version = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return State(
            events,
            digest,
            count("audit"),
            count("trash WHERE restored_by IS NULL"),  # deleted and not brought back
            count("batches"),
            version and version[0],
            wordstore.mismatches(con) if wordstore.current(con) else -1,
        )


def store_like_files(folder: Path, store_file: Path) -> list[str]:
    """Files someone could open as a store by mistake: a DuckDB file other than the store."""
    found = []
    for item in folder.rglob("*"):
        if not item.is_file() or item in (store_file, Path(str(store_file) + ".wal")):
            continue
        with open(item, "rb") as handle:
            head = handle.read(16)
        if item.suffix in (".duckdb", ".db") or head[8:12] == b"DUCK":
            found.append(item.name)
    return found


def kill_delays(rng: random.Random, full: Outcome) -> list[float]:
    """When to kill, in seconds after the store was opened for writing, from the timings
    of an uninterrupted run: at once, twice between the first changed row and the
    COMMIT, across the COMMIT, and after it while the file is checkpointed and closed."""
    done = full.times["COMMITTED"]
    commit = min(full.times.get("COMMIT", done), done)
    first = min(full.times.get("FIRST-CHANGE", 0), commit)
    return [
        rng.uniform(0, 0.02),
        rng.uniform(first, commit),
        rng.uniform(first, commit),
        rng.uniform(max(0, commit - 0.03), commit + 0.03),
        rng.uniform(commit, done),
    ]


def synthetic(n: int, *, tag: str = "") -> list[dict]:
    """Valid synthetic events (never real facts); ``tag`` changes every title."""
    return [
        {
            "event_id": f"syn-{i}",
            "event_date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "event_type": ("meeting", "statement", "attack")[i % 3],
            "title": f"Synthetic {tag} {i}",
            "summary": "synthetic test row",
            "country": "SYR",
            "latitude": 35.0 + (i % 100) / 100,
            "longitude": 38.0,
            "sources": [{"publisher": "test", "url": f"https://example.org/{i}"}],
        }
        for i in range(n)
    ]


#: The same generator, for the children.
GENERATE = "\n" + inspect.getsource(synthetic)


def write_shipped(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The store as shipped: copied for each run, so every run starts from the same bytes."""
    path = tmp_path_factory.mktemp("template") / "events.duckdb"
    return store.ensure_store(path)


def fresh_copy(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "events.duckdb"
    shutil.copyfile(template, target)
    return target


def killed_enough(tally: Counter) -> bool:
    """Whether the runs tested something: most were killed, one before its commit.

    The last kill falls between the commit and the process's exit, a window of a few
    hundred milliseconds measured on the calibration run; on a loaded machine a run can
    be quicker than its calibration and finish first, so one more finished run is allowed.
    """
    return tally["killed"] >= RUNS - 2 and tally["before"] >= 1


def check_kills(name, make_store, script, before_of, after_of, *, no_leftovers=True):
    """Calibrate on one uninterrupted run, then kill RUNS runs at random moments.

    ``before_of(path)`` is the state before the operation (None: no store at all),
    ``after_of(path)`` reads and checks the state a whole run leaves. Returns the tally.
    """
    rng = random.Random(f"{SEED}-{name}")
    path = make_store("calibrate")
    full = run_child(script, path, marker="WRITING")
    after = after_of(path)
    assert after is None or after.index_off == 0  # the word index is exact after a write
    tally = Counter()
    span = full.times["COMMITTED"]
    for run, delay in enumerate(kill_delays(rng, full)):
        path = make_store(f"run{run}")
        before = before_of(path)
        outcome = run_child(script, path, marker="WRITING", kill_after=delay)
        where = f"{name} run {run}: kill {delay:.3f}s into a {span:.2f}s write (seed {SEED})"
        try:
            state = snapshot(path) if path.exists() else None
        except Exception as exc:  # noqa: BLE001 - any failure to read it is the finding
            pytest.fail(f"{where}: the store left behind does not open as a store: {exc}")
        assert state in (before, after), where
        tally["before" if state == before else "after"] += 1
        tally["killed" if outcome.killed else "finished"] += 1
        if no_leftovers:
            assert not store_like_files(path.parent, path), where
    return tally


# --------------------------------------------------------------------------- killed writes


INSERT = (
    GENERATE
    + f"""
problems = store.insert_records(PATH, synthetic({ROWS}))
assert problems == [], problems[:3]
print("COMMITTED", flush=True)
"""
)


@pytest.mark.slow
def test_kill_during_a_big_insert_leaves_before_or_after(template, tmp_path):
    before = snapshot(template)

    def after(path):
        state = snapshot(path)
        assert state.events == before.events + ROWS
        assert int(state.version) == int(before.version) + 1
        return state

    tally = check_kills(
        "insert",
        lambda name: fresh_copy(template, tmp_path / name),
        child_script(INSERT),
        lambda path: before,
        after,
    )
    assert killed_enough(tally), tally  # caught mid-write
    print(f"insert kills: {dict(tally)}")


BUILD = """
store.ensure_store(PATH, PATH.parent.parent / "shipped.jsonl")
print("COMMITTED", flush=True)
"""


@pytest.mark.slow
def test_kill_while_building_a_new_store_leaves_none_or_a_whole_one(tmp_path):
    shipped = write_shipped(tmp_path / "shipped.jsonl", synthetic(SHIPPED_ROWS, tag="v1"))

    def make(name):
        folder = tmp_path / name
        folder.mkdir()
        return folder / "events.duckdb"

    whole = {}

    def after(path):
        whole["state"] = snapshot(path)
        assert whole["state"].events == SHIPPED_ROWS
        return whole["state"]

    tally = check_kills(
        "build", make, child_script(BUILD), lambda path: None, after, no_leftovers=False
    )
    assert killed_enough(tally), tally
    # The dashboard starting after any of those kills gets a whole store, and the
    # half-built files of killed builders are gone.
    for run in range(RUNS):
        path = tmp_path / f"run{run}" / "events.duckdb"
        store.ensure_store(path, shipped)
        assert snapshot(path) == whole["state"]
        leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name]
        assert leftovers == [], leftovers
    print(f"build kills: {dict(tally)}")


REFRESH = """
store.ensure_store(PATH, PATH.parent.parent / "shipped-v2.jsonl")
print("COMMITTED", flush=True)
"""


@pytest.mark.slow
def test_kill_while_refreshing_shipped_records_leaves_before_or_after(tmp_path):
    v1 = write_shipped(tmp_path / "shipped-v1.jsonl", synthetic(SHIPPED_ROWS, tag="v1"))
    v2 = write_shipped(tmp_path / "shipped-v2.jsonl", synthetic(SHIPPED_ROWS, tag="v2")[1000:])
    base = tmp_path / "base" / "events.duckdb"
    base.parent.mkdir()
    store.ensure_store(base, v1)
    before = snapshot(base)

    def after(path):
        state = snapshot(path)
        assert state.events == SHIPPED_ROWS - 1000 and state != before
        return state

    tally = check_kills(
        "refresh",
        lambda name: fresh_copy(base, tmp_path / name),
        child_script(REFRESH),
        lambda path: before,
        after,
    )
    assert killed_enough(tally), tally
    # Whatever the kill left, the next start finishes the refresh.
    for run in range(RUNS):
        path = tmp_path / f"run{run}" / "events.duckdb"
        store.ensure_store(path, v2)
        assert snapshot(path).events == SHIPPED_ROWS - 1000
    print(f"refresh kills: {dict(tally)}")


EDITS = f"""
from dashboard import curation
k = 0
while True:
    k += 1
    event = curation.get_event(PATH, {MEETING!r})
    curation.update_event(
        PATH, {MEETING!r}, {{"summary": f"edit {{k}}"}}, "Fault", curation.fingerprint(event)
    )
    if k % 2:
        curation.delete_event(PATH, {ROME!r}, "Fault")
    else:
        curation.restore_event(PATH, {ROME!r}, "Fault")
    print(f"SAVED {{k}}", flush=True)
    if k == 1:
        print("STARTED", flush=True)
"""


@pytest.mark.slow
def test_kill_during_curated_edits_loses_no_saved_edit(template, tmp_path):
    """Edits and delete/restore in a loop, killed at random: each change is whole.

    The event and its audit rows go together, the deleted event is in exactly one of
    events and trash, and no edit the child had reported saved is missing.
    """
    rng = random.Random(f"{SEED}-edits")
    base = snapshot(template)
    lost = 0
    saves = 0
    for run in range(RUNS):
        path = fresh_copy(template, tmp_path / f"run{run}")
        delay = rng.uniform(0.0, 3.0)
        outcome = run_child(
            child_script(EDITS), path, env={"ANNOUNCE": "0"}, marker="STARTED", kill_after=delay
        )
        assert outcome.killed, "the edit loop never ends by itself"
        saved = max(int(line.split()[1]) for line in outcome.lines if line.startswith("SAVED"))
        saves += saved
        where = f"run {run}, kill {delay:.3f}s after the first save (seed {SEED})"
        state = snapshot(path)
        log = curation.history(path, MEETING, limit=1_000_000)
        updates = len(log)
        assert curation.get_event(path, MEETING)["summary"] == f"edit {updates}", where
        assert log.iloc[0]["new_value"] == json.dumps(f"edit {updates}"), where
        rome_log = curation.history(path, ROME, limit=1_000_000)
        deleted = len(rome_log) % 2 == 1
        assert (curation.get_event(path, ROME) is None) == deleted, where
        assert state.trash == int(deleted), where
        assert state.events == base.events - int(deleted), where
        assert state.audit == updates + len(rome_log), where
        # an edit, then a delete or a restore: whole pairs, or the edit of the next pair
        assert len(rome_log) in (updates, updates - 1), where
        assert updates >= saved, where
        lost += max(0, saved - updates)
        assert not store_like_files(path.parent, path), where
    assert lost == 0
    print(f"edit kills: {RUNS} runs, {saves} saves reported, {lost} lost")


IMPORT = f"""
from dashboard import importer
result = importer.import_file(PATH.parent.parent / "big.jsonl", PATH)
assert result.committed and result.accepted == {ROWS}, result.summary()
print("COMMITTED", flush=True)
"""


@pytest.mark.slow
def test_kill_during_an_import_leaves_before_or_after(template, tmp_path):
    write_shipped(tmp_path / "big.jsonl", synthetic(ROWS, tag="import"))
    before = snapshot(template)

    def after(path):
        state = snapshot(path)
        assert (state.events, state.batches) == (before.events + ROWS, before.batches + 1)
        assert int(state.version) == int(before.version) + 1
        assert state.index_off == 0  # the batch's words are indexed with it
        return state

    rng = random.Random(f"{SEED}-import")
    path = fresh_copy(template, tmp_path / "calibrate")
    full = run_child(child_script(IMPORT), path, marker="WRITING")
    whole = after(path)
    tally = Counter()
    span = full.times["COMMITTED"]
    for run, delay in enumerate(kill_delays(rng, full)):
        path = fresh_copy(template, tmp_path / f"run{run}")
        outcome = run_child(child_script(IMPORT), path, marker="WRITING", kill_after=delay)
        state = snapshot(path)
        where = f"import run {run}: kill {delay:.3f}s into a {span:.2f}s write (seed {SEED})"
        if state == before:
            tally["before"] += 1
        else:
            # the batch id carries the time of the import: compare everything else
            after(path)
            assert state.digest != before.digest and state.audit == whole.audit, where
            tally["after"] += 1
        tally["killed" if outcome.killed else "finished"] += 1
        assert not store_like_files(path.parent, path), where
    assert killed_enough(tally), tally
    print(f"import kills: {dict(tally)}")


# --------------------------------------------------------------------------- two writers


HOLDER = (
    GENERATE
    + """
assert store.insert_records(PATH, synthetic(1000, tag="holder")) == []
print("COMMITTED", flush=True)
"""
)


def start_holder(path: Path, hold: float) -> subprocess.Popen:
    """A child that inserts 1,000 events and keeps the store open for ``hold`` seconds."""
    proc = subprocess.Popen(
        [sys.executable, "-c", child_script(HOLDER), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOLD_SECONDS": str(hold)},
        cwd=REPO,
    )
    assert proc.stdout.readline().strip() == "WRITING"
    return proc


@pytest.mark.slow
def test_second_process_is_told_the_store_is_busy_and_the_writer_lands(template, tmp_path):
    path = fresh_copy(template, tmp_path / "busy")
    before = snapshot(path)
    event = curation.get_event(path, MEETING)
    proc = start_holder(path, 18)
    try:
        # a reader that asks to give up quickly does, with a sentence
        with (
            pytest.raises(store.StoreBusy, match="being written by another process"),
            store.connect(path, read_only=True, retries=2),
        ):
            pass
        # meanwhile a curator saves in this process: refused, with the same words
        refused = []

        def save():
            try:
                curation.update_event(
                    path, MEETING, {"summary": "while busy"}, "Layla", curation.fingerprint(event)
                )
            except store.StoreBusy as exc:
                refused.append(str(exc))

        curator = threading.Thread(target=save)
        curator.start()
        # the command line waits a while, then says so and exits 2
        info = subprocess.run(
            [sys.executable, "-m", "dashboard", "info", "--store", str(path)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
        curator.join(timeout=60)
        assert proc.poll() is None, "the writer finished too early for this test to mean much"
        assert info.returncode == 2, info.stderr
        assert "being written by another process; try again" in info.stderr
        assert "Traceback" not in info.stderr
        assert len(refused) == 1 and "being written by another process" in refused[0]
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "COMMITTED" in out
    after = snapshot(path)
    assert after.events == before.events + 1000  # the writer's change landed whole
    assert curation.get_event(path, MEETING)["summary"] == event["summary"]
    assert after.audit == 0
    # and the curator's save, tried again, goes through
    curation.update_event(path, MEETING, {"summary": "after"}, "Layla", curation.fingerprint(event))
    assert curation.get_event(path, MEETING)["summary"] == "after"


def test_a_short_write_by_another_process_is_waited_for(template, tmp_path):
    path = fresh_copy(template, tmp_path / "short")
    before = snapshot(path)
    proc = start_holder(path, 1.5)
    try:
        seen = store.info(path)["events"]  # waits for the writer instead of failing
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert seen == before.events + 1000


# --------------------------------------------------------------------------- sessions as threads


SESSIONS = 8
SAVES_EACH = 15


def test_concurrent_saves_from_sessions_in_one_process_lose_nothing(template, tmp_path):
    """Streamlit serves every browser session from a thread of one process.

    Eight sessions save edits at once, two events between them, while others read.
    Every save either lands (and is logged once, under its own change id) or is refused
    with a CurationError / StoreBusy the page shows; nothing else escapes and nothing
    is half-saved.
    """
    path = fresh_copy(template, tmp_path / "threads")
    targets = [MEETING, ROME]
    landed: list[tuple[str, str]] = []
    refused: Counter = Counter()
    crashed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(SESSIONS + 2)

    def session(n: int) -> None:
        event_id = targets[n % 2]
        start.wait()
        for k in range(SAVES_EACH):
            text = f"session {n} save {k}"
            try:
                event = curation.get_event(path, event_id)
                curation.update_event(
                    path, event_id, {"summary": text}, f"s{n}", curation.fingerprint(event)
                )
            except (CurationError, store.StoreBusy) as exc:
                with lock:
                    refused[type(exc).__name__] += 1
                continue
            except Exception as exc:  # noqa: BLE001 - what the page would show as a traceback
                with lock:
                    crashed.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                continue
            with lock:
                landed.append((event_id, text))

    def reader() -> None:
        start.wait()
        for _ in range(SAVES_EACH * 2):
            try:
                curation.history(path, MEETING)
                store.info(path)
            except store.StoreBusy:
                with lock:
                    refused["reader busy"] += 1
            except Exception as exc:  # noqa: BLE001
                with lock:
                    crashed.append(f"reader {type(exc).__name__}: {str(exc)[:120]}")

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert crashed == [], Counter(crashed)
    assert landed, "no save went through at all"
    log = curation.history(path, limit=100_000)
    assert len(log) == len(landed)  # every landed save logged once, nothing else
    assert log["change_id"].is_unique, "two saves share a change id: undo would mix them"
    for event_id in targets:
        mine = [text for e, text in landed if e == event_id]
        logged = log[log.event_id == event_id].sort_values("change_id")
        assert sorted(json.loads(v) for v in logged["new_value"]) == sorted(mine)
        if mine:
            last = json.loads(logged.iloc[-1]["new_value"])
            assert curation.get_event(path, event_id)["summary"] == last
    print(
        f"{SESSIONS} sessions x {SAVES_EACH} saves + 2 readers: {len(landed)} landed, "
        f"refused {dict(refused)}, crashed {len(crashed)}"
    )


# --------------------------------------------------------------------------- full disk


def _full_disk(monkeypatch, after_bytes: int = 100):
    """The next file export writes gets ``after_bytes`` bytes on disk, then ENOSPC."""
    real_open = open

    class FullFile:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(data[:after_bytes])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def fake_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return FullFile(handle) if "w" in mode else handle

    monkeypatch.setattr(export, "open", fake_open, raising=False)


def test_full_disk_during_export_keeps_the_previous_file(template, tmp_path, monkeypatch, capsys):
    target = tmp_path / "out" / "events.csv"
    target.parent.mkdir()
    target.write_bytes(b"the previous export\n")
    _full_disk(monkeypatch)
    with pytest.raises(OSError) as caught:
        export.write_atomic(b"x" * 10_000, target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]
    # the command line: exit 2, one line saying why, no traceback, nothing half-written
    code = cli.main(["export", "-o", str(target), "--store", str(template)])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot write" in err and "No space left on device" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]
    fresh = tmp_path / "out" / "new.geojson"
    assert (
        cli.main(["export", "--format", "geojson", "-o", str(fresh), "--store", str(template)]) == 2
    )
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]


def test_file_size_limit_of_the_os_fails_export_cleanly(template, tmp_path):
    """A real kernel refusal (RLIMIT_FSIZE: the write gets EFBIG) rather than a patched one."""
    target = tmp_path / "events.csv"
    target.write_bytes(b"previous\n")
    script = (
        f"import resource, signal, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from dashboard import cli\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        f"sys.exit(cli.main(['export', '-o', {str(target)!r}, '--store', {str(template)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "cannot write" in done.stderr and "File too large" in done.stderr
    assert target.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]
