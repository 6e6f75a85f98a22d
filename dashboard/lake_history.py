"""What a lake keeps so a link pinned to an earlier store version reads the rows of then.

A lake holds the store's rows as they are at export; a link made on an earlier version
(``v=N``) must see the events edited since as they were and the events deleted since,
as the embedded engines do (:func:`dashboard.versions.patch_at`). The store's audit log
and trash are not in the lake, so at export they are walked once for every version the
store can still tell, and what each version differs by is written as one small table:

- a row per event state that was not the stored one, with ``shown`` true, every lake
  column (``added_in`` 0, as the embedded patch has) and the versions ``v_from`` ..
  ``v_to`` (inclusive) at which that was the event: it is put in;
- a row per stored event that was not there or not so, ``shown`` false (only
  ``event_id`` and the range): it is left out.

An engine answers version N with ``events`` anti-joined with the hidden ids of N and
unioned with the shown rows of N: a broadcast join over a table the size of the
curation, then the same plan as any other answer. Versions whose state is a range are
written once, however many versions the range spans.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import store, versions

HISTORY_DIR = "history"


def schema() -> pa.Schema:
    """The history file's columns: the lake's, then the range and whether it is shown."""
    fields = list(store.rows_to_arrow([]).schema)
    return pa.schema(
        [
            *fields,
            pa.field("added_in", pa.int64()),
            pa.field("year", pa.int32()),
            pa.field("v_from", pa.int64()),
            pa.field("v_to", pa.int64()),
            pa.field("shown", pa.bool_()),
        ]
    )


def _key(row: dict) -> str:
    return json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)


def _ranges(numbers: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for n in sorted(numbers):
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


def versions_to_walk(path: Path) -> tuple[int | None, int]:
    """(the first version the store can patch, its version now); None when it keeps none."""
    with store.connect(path, read_only=True) as con:
        now = int(store._meta(con, "version") or 0)
        first = con.execute("SELECT min(version) FROM versions").fetchone()[0]
    return (None if first is None else max(int(first) - 1, 0)), now


def write_history(store_path: Path, out: Path, batch_id: str) -> dict:
    """Write ``out/history-<batch_id>.parquet`` for the store at ``store_path``; the
    manifest's entry for it (``path`` None when no version differs from now)."""
    from .schema import validate_record

    first, now = versions_to_walk(store_path)
    stored: dict = {}  # the store's records, read once for every version
    converted: dict[str, dict] = {}  # a record of then -> its lake row, made once
    open_rows: dict[str, dict] = {}  # state key -> row with v_from/v_to being extended
    done: list[dict] = []
    hidden: dict[str, list[int]] = {}
    patched: list[int] = []
    lost: dict[int, int] = {}
    for version in range(first if first is not None else now, now):
        patch = versions.patch_at(store_path, version, stored=stored)
        if not patch.known:
            continue
        if patch.lost:
            lost[version] = patch.lost
        if patch.empty:
            continue
        patched.append(version)
        for event_id in patch.hidden:
            hidden.setdefault(event_id, []).append(version)
        for record in patch.records:
            key = _key(record)
            if key not in converted:
                # As dashboard.asof.patched_rows makes them: validated, derived columns
                # added, ``added_in`` 0 (a row of then is never one added since).
                clean = validate_record({k: v for k, v in record.items() if k != "batch_id"})
                converted[key] = {**store.stored_row(clean, record.get("batch_id")), "added_in": 0}
            row = dict(converted[key])
            held = open_rows.get(key)
            if held is not None and held["v_to"] == version - 1:
                held["v_to"] = version
                continue
            if held is not None:
                done.append(held)
            row["year"] = row["event_date"].year
            open_rows[key] = {**row, "v_from": version, "v_to": version, "shown": True}
    rows = done + list(open_rows.values())
    for event_id, seen in hidden.items():
        for a, b in _ranges(seen):
            rows.append({"event_id": event_id, "v_from": a, "v_to": b, "shown": False})
    entry = {
        "path": None,
        "rows": len(rows),
        "store_version": now,
        "first_version": first,
        "patched": _ranges(patched),
        "lost": _runs(lost),
    }
    if rows:
        rows.sort(key=lambda r: (r["event_id"], r["v_from"], not r["shown"]))
        out.mkdir(parents=True, exist_ok=True)
        name = f"history-{batch_id}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema()), out / name, compression="zstd")
        entry["path"] = f"{HISTORY_DIR}/{name}"
    return entry


def _runs(counts: dict[int, int]) -> list[list[int]]:
    """[first, last, n] for each run of consecutive versions with the same count."""
    out: list[list[int]] = []
    for v, n in sorted(counts.items()):
        if out and out[-1][1] == v - 1 and out[-1][2] == n:
            out[-1][1] = v
        else:
            out.append([v, v, n])
    return out


def lost_at(entry: dict, version: int) -> int:
    """Rows removed since ``version`` that nothing kept (an import replaced, a batch
    removed), as the store counted them at export."""
    for a, b, n in entry.get("lost", ()):
        if a <= version <= b:
            return int(n)
    return 0


def patched_at(entry: dict, version: int) -> bool:
    """Whether the rows of ``version`` differ from the lake's in any event edited or
    deleted since (else the lake's own rows, less those added since, are those)."""
    return any(a <= version <= b for a, b in entry.get("patched", ()))
