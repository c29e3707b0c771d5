package io.photomaker.gateway;

import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.cluster.JobLister;
import io.photomaker.gateway.cluster.OwnerReads;
import io.photomaker.gateway.jobs.EventSender;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.jobs.QueuePositions;
import io.photomaker.gateway.jobs.VerdictFeed;
import io.photomaker.gateway.limits.ClusterUsage;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.ops.KafkaProbe;
import io.photomaker.gateway.state.JobStateProcessor;
import io.vertx.core.Vertx;

/**
 * The shared parts of one running gateway, handed to every handler and mounted extension: configuration,
 * the object store, the durable producer, the state processor that owns this gateway's share of the job
 * state and what the API builds on it.
 *
 * @param processor the state processor (verdicts, stores, timers) running in this gateway
 * @param reads how this gateway answers for the state partitions it holds (and where the archive is)
 * @param lookup finds a tenant's job wherever its partition lives (404 for other tenants)
 * @param lister lists a tenant's jobs across every gateway's partitions
 * @param feed new verdicts, followed by job id (event streams, waits)
 * @param watcher waits for a job's record to reach a condition
 * @param positions true queue positions from the worker group's committed offsets
 * @param usage the cluster's per-tenant counts that the limits use
 * @param events sends events and work items without blocking an event loop
 * @param limits the process-wide rate limits and budgets every handler shares
 */
public record GatewayServices(
        Vertx vertx,
        GatewayConfig config,
        ObjectStore store,
        JobProducer producer,
        JobStateProcessor processor,
        OwnerReads reads,
        JobLookup lookup,
        JobLister lister,
        VerdictFeed feed,
        JobWatcher watcher,
        QueuePositions positions,
        ClusterUsage usage,
        JobJson json,
        EventSender events,
        KafkaProbe kafkaProbe,
        GatewayMetrics metrics,
        GatewayLimits limits) {
}
