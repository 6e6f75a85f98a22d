#!/usr/bin/env bash
# Start a Spark Connect server from the pinned pyspark's bundled Spark, so the dashboard can
# run against it as against a cluster's: DASHBOARD_ENGINE=spark
# DASHBOARD_SPARK_REMOTE=sc://localhost:PORT DASHBOARD_LAKE=/path/to/lake (docs/spark.md).
#
# The pip package ships Spark's jars (spark-connect_2.13 included) and bin/spark-submit,
# but not sbin/start-connect-server.sh; that script only runs spark-submit with the
# server's class, which is what this does, in the foreground (stop it with Ctrl-C or a
# signal to its pid). Nothing is downloaded: it starts offline.
#
# usage: scripts/spark_connect_server.sh [PORT] [MASTER]   (defaults: 15002, local[2])
# A real cluster: MASTER is its master URL (spark://host:7077, yarn, k8s://...), or run
# the same class with the cluster's own Spark 4.0 distribution.
set -euo pipefail
PORT="${1:-15002}"
MASTER="${2:-local[2]}"
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
exec "$SPARK_HOME/bin/spark-submit" \
    --class org.apache.spark.sql.connect.service.SparkConnectServer \
    --name "Spark Connect server (dashboard)" \
    --master "$MASTER" \
    --conf spark.connect.grpc.binding.port="$PORT" \
    --conf spark.sql.session.timeZone=UTC \
    --conf spark.ui.enabled=false \
    spark-internal
