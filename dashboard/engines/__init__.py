"""The engines behind :class:`dashboard.query.EventQuery`, one module each.

- ``sql``: DuckDB SQL over the store file or the hot copy (the reference);
- ``frame``: the hot copy's filter columns in Polars (the dashboard's default);
- ``spark``: Apache Spark over a Parquet lake, when the data outgrows one machine.

The engine is chosen by configuration (``DASHBOARD_ENGINE``) and passed explicitly.
"""

from __future__ import annotations

import os

#: The engines that run on the embedded store's in-memory copy.
EMBEDDED = ("frame", "sql")
#: Names accepted for ``DASHBOARD_ENGINE``; ``duckdb`` is the embedded default.
ALIASES = {"duckdb": "frame", "frame": "frame", "sql": "sql", "spark": "spark"}


def configured(value: str | None = None) -> str:
    """The engine named by ``value`` or ``DASHBOARD_ENGINE`` (default: the embedded one)."""
    name = (value or os.environ.get("DASHBOARD_ENGINE") or "duckdb").strip().lower()
    if name not in ALIASES:
        raise ValueError(
            f"unknown engine {name!r} (DASHBOARD_ENGINE): one of {', '.join(sorted(ALIASES))}"
        )
    return ALIASES[name]
