package io.photomaker.gateway;

import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobStateView;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.jobs.EventSender;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.jobs.JobIndex;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.ops.KafkaProbe;
import io.vertx.core.Vertx;

/**
 * The shared parts of one running gateway, handed to every handler and mounted extension: configuration,
 * the object store, the durable producer, the state view and what the API builds on it.
 *
 * @param lookup finds a tenant's job (404 for others), waiting briefly for just-created ids
 * @param watcher waits for a job's record to appear or finish
 * @param events sends events and work items without blocking an event loop
 * @param limits the process-wide rate limits and budgets every handler shares
 */
public record GatewayServices(
        Vertx vertx,
        GatewayConfig config,
        ObjectStore store,
        JobProducer producer,
        JobStateView view,
        JobIndex index,
        JobWatcher watcher,
        JobLookup lookup,
        JobJson json,
        EventSender events,
        KafkaProbe kafkaProbe,
        GatewayMetrics metrics,
        GatewayLimits limits) {
}
