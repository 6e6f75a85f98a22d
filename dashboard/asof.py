"""The data as it stood at an earlier version: the in-memory copy, patched.

A link pinned to version N is answered over a copy of the hot copy's rows in which the
events edited or deleted since N are as they were then (:func:`dashboard.versions.patch_at`)
and the stored rows that stand for something else then are left out; rows added since are
left out by the filter itself (``Filters.as_of``). Every engine of the hot copy runs on it
unchanged: the patched rows sit in ``events`` like any other (``file_row`` below 0: they
have no row in the file), their whole records and search text in ``_patch``, which
:class:`dashboard.engines.records.Records` and the text matches read. Only versions with
such events need a copy; the others are answered by the hot copy itself.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from . import store
from .schema import validate_record
from .versions import Patch


def patched_rows(patch: Patch) -> pa.Table:
    """The patch's records as stored rows: ``file_row`` -1, -2, ... and ``added_in`` 0."""
    rows = []
    for record in patch.records:
        clean = validate_record({k: v for k, v in record.items() if k != "batch_id"})
        row = store.stored_row(clean, record.get("batch_id"))
        rows.append(row)
    table = store.rows_to_arrow(rows)
    table = table.append_column("added_in", pa.array([0] * len(rows), pa.int64()))
    return table.append_column(
        "file_row", pa.array([-(n + 1) for n in range(len(rows))], pa.int64())
    )


def attach(con: duckdb.DuckDBPyConnection, name: str, patch: Patch, columns) -> None:
    """Make catalog ``name`` in ``con``: the hot catalog's ``events`` (``columns`` and
    ``file_row``) with the patch applied, its ``_store``, ``_patch`` and ``_hidden``."""
    cursor = con.cursor()
    cols = ", ".join(columns)
    cursor.register("_then", patched_rows(patch))
    cursor.register("_gone", pa.table({"event_id": pa.array(patch.hidden, pa.string())}))
    try:
        cursor.execute(f"ATTACH ':memory:' AS {name} (COMPRESS)")
        cursor.execute(
            f"CREATE TABLE {name}.events AS SELECT file_row, {cols} FROM hot.events "
            "WHERE event_id NOT IN (SELECT event_id FROM _gone)"
        )
        cursor.execute(
            f"INSERT INTO {name}.events (file_row, {cols}) SELECT file_row, {cols} FROM _then"
        )
        cursor.execute(f"CREATE TABLE {name}._patch AS SELECT * FROM _then")
        cursor.execute(f"CREATE TABLE {name}._hidden AS SELECT event_id FROM _gone")
        cursor.execute(f"CREATE TABLE {name}._store AS SELECT * FROM hot._store")
    finally:
        cursor.unregister("_then")
        cursor.unregister("_gone")
