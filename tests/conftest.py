"""Settings shared by every test folder. Markers and pytest options live in pyproject.toml;
folder-specific fixtures live in that folder's conftest.py."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The machines (developers' and CI's) have 2 cores and run a browser and a Streamlit server
# beside the unit tests, so wall-clock deadlines would only make property tests flaky.
settings.register_profile(
    "dev",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# CI: same examples on every run, so a red CI can be reproduced locally with the profile.
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
