"""Whether this machine can run Spark, shared by the unit and browser tests that need it.

Spark needs Java and pyspark: without them a test is skipped, unless
DASHBOARD_REQUIRE_SPARK=1 (CI sets it), where a missing piece is a failure, so a broken
install cannot pass as a green run.
"""

from __future__ import annotations

import os
import shutil

import pytest


def need_spark() -> None:
    missing = None
    if shutil.which("java") is None:
        missing = "Spark needs Java (apt-get install openjdk-17-jre-headless)"
    else:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            missing = "pyspark is not installed (requirements.txt)"
    if missing and os.environ.get("DASHBOARD_REQUIRE_SPARK") == "1":
        pytest.fail(missing + "; DASHBOARD_REQUIRE_SPARK=1 says these tests must run")
    if missing:
        pytest.skip(missing)
