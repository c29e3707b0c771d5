#!/usr/bin/env bash
# One-shot topic setup for the single-broker compose stack (idempotent: safe on every `up`).
# Topic names, cleanup policies and retention match deploy/k8s/base/kafka-topics.yaml;
# replication is 1 because there is one broker.
set -euo pipefail
bootstrap="${PM_KAFKA_BOOTSTRAP:?PM_KAFKA_BOOTSTRAP is required}"
partitions="${PM_TOPIC_PARTITIONS:-6}"
kafka_topics=/opt/kafka/bin/kafka-topics.sh

create() {
  local topic="$1"; shift
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1 "$@"
}

# Work queue: 7 days covers any realistic backlog.
create photomaker.jobs --config cleanup.policy=delete --config retention.ms=604800000
# The PhotoMaker V2 fleet's work queue (photomaker-v1 keeps photomaker.jobs).
create photomaker.jobs.photomaker-v2 --config cleanup.policy=delete --config retention.ms=604800000
# Lifecycle events: replayed by the state machine and SSE streams; 7 days.
create photomaker.job-events --config cleanup.policy=delete --config retention.ms=604800000
# One record per job (the state machine's verdict): compacted, never expired by time.
create photomaker.job-state --config cleanup.policy=compact --config min.cleanable.dirty.ratio=0.1 \
  --config segment.ms=3600000 --config delete.retention.ms=86400000
# Dead letters: kept 30 days for inspection and replay.
create photomaker.jobs.dlq --config cleanup.policy=delete --config retention.ms=2592000000

"$kafka_topics" --bootstrap-server "$bootstrap" --describe \
  --topic 'photomaker\..*' | grep -E '^Topic:' || true
