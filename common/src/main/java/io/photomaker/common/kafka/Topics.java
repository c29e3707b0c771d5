package io.photomaker.common.kafka;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.model.ModelNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Topic names and how each is created. Each served model has its own work queue, identity queue and
 * worker group: {@code photomaker-v1} keeps the original names ({@link #JOBS}, {@link #IDENTITY_REQUESTS},
 * {@link #WORKER_GROUP}), so existing deployments go on working; any other model appends its name
 * ({@code photomaker.jobs.photomaker-v2}, ...).
 */
public final class Topics {
    /** Work queue, keyed by job id. */
    public static final String JOBS = "photomaker.jobs";
    /** Every lifecycle fact, keyed by job id. */
    public static final String JOB_EVENTS = "photomaker.job-events";
    /** One verdict per job (compacted), keyed by job id. */
    public static final String JOB_STATE = "photomaker.job-state";
    /** Jobs that exhausted their retries. */
    public static final String DLQ = "photomaker.jobs.dlq";
    /** Webhook deliveries due now, keyed by delivery id (consumer group photomaker-webhooks). */
    public static final String WEBHOOKS = "photomaker.webhooks";
    /** Work queue of identities whose ID embeddings a worker computes, keyed by identity id. */
    public static final String IDENTITY_REQUESTS = "photomaker.identity-requests";
    /** Webhook deliveries waiting for their retry time, keyed by delivery id; released into {@link #WEBHOOKS}. */
    public static final String WEBHOOK_RETRIES = "photomaker.webhooks.retry";
    /**
     * What workers need of each job (attempt, cancel requested, terminal; {@code JobControl}), compacted, keyed
     * by job id and co-partitioned with {@link #JOBS}; written by the state processor with each verdict.
     */
    public static final String JOB_CONTROL = "photomaker.job-control";
    /**
     * Each tenant's unfinished jobs per partition, and per partition how far the state processor has applied
     * job events; compacted, written by the state processor, read by every gateway for cluster-wide quotas.
     */
    public static final String TENANT_USAGE = "photomaker.tenant-usage";
    /** Consumer group shared by all workers. */
    public static final String WORKER_GROUP = "photomaker-workers";
    /**
     * The state processor's application id, hence the consumer group under which it commits how far it has
     * applied {@link #JOB_EVENTS}; workers read those offsets before taking over a partition.
     */
    public static final String STATE_PROCESSOR_GROUP = "photomaker-state";

    private Topics() {
    }

    /** The work queue of {@code model} (null: photomaker-v1, for work items written before models existed). */
    public static String jobsFor(String model) {
        return perModel(JOBS, model);
    }

    /** The identity work queue of {@code model}. */
    public static String identityRequestsFor(String model) {
        return perModel(IDENTITY_REQUESTS, model);
    }

    /** The consumer group of the worker fleet serving {@code model}. */
    public static String workerGroupFor(String model) {
        return perModel(WORKER_GROUP, model);
    }

    private static String perModel(String base, String model) {
        return model == null || model.equals(ModelNames.V1) ? base : base + "." + model;
    }

    /** The topics this system needs, with partitioning and retention. */
    public static List<NewTopic> definitions(KafkaSettings k) {
        short rf = k.replicationFactor();
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000");
        Map<String, String> week = Map.of("retention.ms", Long.toString(7L * 24 * 3600 * 1000));
        List<NewTopic> topics = new ArrayList<>(List.of(
                new NewTopic(JOB_EVENTS, k.partitions(), rf).configs(week),
                new NewTopic(JOB_STATE, k.partitions(), rf).configs(compacted),
                new NewTopic(JOB_CONTROL, k.partitions(), rf).configs(compacted),
                new NewTopic(TENANT_USAGE, k.partitions(), rf).configs(compacted),
                new NewTopic(DLQ, k.partitions(), rf).configs(Map.of("retention.ms", Long.toString(30L * 24 * 3600 * 1000))),
                new NewTopic(WEBHOOKS, k.partitions(), rf).configs(week),
                new NewTopic(WEBHOOK_RETRIES, k.partitions(), rf).configs(week)));
        for (String model : ModelNames.ALL) {
            topics.add(new NewTopic(jobsFor(model), k.partitions(), rf).configs(week));
            topics.add(new NewTopic(identityRequestsFor(model), k.partitions(), rf).configs(week));
        }
        return List.copyOf(topics);
    }
}
