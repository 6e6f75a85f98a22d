#!/usr/bin/env bash
# Make sure a Java runtime is present for the Spark engine's tests (tests/unit/
# test_engines_spark.py, marked `distributed`): pyspark starts a JVM, and Spark 4.0 runs on
# Java 17. Debian's openjdk-17-jre-headless comes from the distribution's packages (no
# download of a JDK build of its own). Idempotent: does nothing when `java` is on PATH.
# Without Java the distributed tests skip themselves, unless DASHBOARD_REQUIRE_SPARK=1
# (CI), where they fail: this script never fails the build itself.
set -euo pipefail

PACKAGES=(openjdk-17-jre-headless)

if command -v java >/dev/null 2>&1; then
    echo "ensure_java: $(java -version 2>&1 | head -n1)"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_java: no apt-get on this machine; install Java 17 yourself, otherwise the" \
        "Spark tests will be SKIPPED (or fail where DASHBOARD_REQUIRE_SPARK=1)." >&2
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "ensure_java: not root and no password-less sudo; run" \
            "'apt-get install ${PACKAGES[*]}' as root, otherwise the Spark tests will be SKIPPED." >&2
        exit 0
    fi
fi

echo "ensure_java: installing ${PACKAGES[*]} with apt-get"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# The JRE's post-install step links man pages; a slim image without the man folders fails it.
"${SUDO[@]}" mkdir -p /usr/share/man/man1
if "${SUDO[@]}" apt-get update -q >/dev/null \
    && "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "ensure_java: done in $(($(date +%s) - start)) s: $(java -version 2>&1 | head -n1)"
else
    echo "ensure_java: apt-get failed; the Spark tests will be SKIPPED (or fail in CI)." >&2
fi
