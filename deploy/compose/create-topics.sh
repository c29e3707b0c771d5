#!/usr/bin/env bash
# One-shot topic setup for the single-broker compose stack (idempotent: safe on every `up`): every topic the
# code uses, with the names, cleanup policies and retention of deploy/k8s/base/kafka-topics.yaml (the deploy
# tests derive the list from the code); replication is 1 because there is one broker.
set -euo pipefail
bootstrap="${PM_KAFKA_BOOTSTRAP:?PM_KAFKA_BOOTSTRAP is required}"
partitions="${PM_TOPIC_PARTITIONS:-6}"
kafka_topics=/opt/kafka/bin/kafka-topics.sh

create() {
  local topic="$1"; shift
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1 "$@"
}

# Work queue of the photomaker-v1 fleet, keyed by job id: 7 days covers any realistic backlog.
create photomaker.jobs --config cleanup.policy=delete --config retention.ms=604800000
# Work queue of the PhotoMaker V2 fleet (photomaker-v1 keeps photomaker.jobs).
create photomaker.jobs.photomaker-v2 --config cleanup.policy=delete --config retention.ms=604800000
# Every lifecycle fact, keyed by job id; read by the state processor. 7 days.
create photomaker.job-events --config cleanup.policy=delete --config retention.ms=604800000
# One verdict per job (the state machine's), compacted; gateways follow its new records for SSE and waits.
create photomaker.job-state --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config min.cleanable.dirty.ratio=0.1 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# What workers need of each job (attempt, cancel, ended), compacted; co-partitioned with the work queues.
create photomaker.job-control --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config min.cleanable.dirty.ratio=0.1 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Unfinished jobs per tenant and partition, and per-partition watermarks, compacted; read by every gateway.
create photomaker.tenant-usage --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config min.cleanable.dirty.ratio=0.1 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Dead letters: kept 30 days for inspection and replay.
create photomaker.jobs.dlq --config cleanup.policy=delete --config retention.ms=2592000000
# Webhook deliveries due now, keyed by delivery id.
create photomaker.webhooks --config cleanup.policy=delete --config retention.ms=604800000
# Webhook deliveries waiting for their retry time.
create photomaker.webhooks.retry --config cleanup.policy=delete --config retention.ms=604800000
# Identities whose ID embeddings a photomaker-v1 worker computes.
create photomaker.identity-requests --config cleanup.policy=delete --config retention.ms=604800000
# Identities whose ID embeddings a PhotoMaker V2 worker computes.
create photomaker.identity-requests.photomaker-v2 --config cleanup.policy=delete \
  --config retention.ms=604800000
# Changelog of the state processor's job-records store (Kafka Streams names it; compacted).
create photomaker-state-job-records-changelog --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Changelog of the state processor's job-index store (Kafka Streams names it; compacted).
create photomaker-state-job-index-changelog --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Changelog of the state processor's tenant-active store (Kafka Streams names it; compacted).
create photomaker-state-tenant-active-changelog --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Changelog of the state processor's lifecycle-schedule store (Kafka Streams names it; compacted).
create photomaker-state-lifecycle-schedule-changelog --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000
# Changelog of the state processor's webhook-delays store (Kafka Streams names it; compacted).
create photomaker-state-webhook-delays-changelog --config cleanup.policy=compact \
  --config min.compaction.lag.ms=60000 \
  --config segment.ms=3600000 \
  --config delete.retention.ms=86400000

"$kafka_topics" --bootstrap-server "$bootstrap" --describe \
  --topic 'photomaker.*' | grep -E '^Topic:' || true
