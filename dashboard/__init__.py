"""Conflict-diplomacy dashboard: everything below the UI, importable without a browser."""
