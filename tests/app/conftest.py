"""Fixtures of the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import store


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    """A fresh store with the shipped records, which the app under test opens."""
    path = tmp_path / "store" / "events.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return store.ensure_store(path)
