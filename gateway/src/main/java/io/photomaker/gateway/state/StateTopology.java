package io.photomaker.gateway.state;

import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.webhook.WebhookDelayProcessor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The state processor's topology. Sub-topology one: {@code photomaker.job-events} -> lifecycle processor
 * (stores: job records, tenant index, unfinished jobs per tenant, timers) -> {@code photomaker.job-state},
 * {@code photomaker.job-control}, {@code photomaker.tenant-usage} and {@code photomaker.webhooks}. The
 * tenant-active store also keeps the partition's queued and running counts ({@link QueueGauges}).
 * Sub-topology two: {@code photomaker.webhooks.retry} -> delay store -> {@code photomaker.webhooks} when due.
 * Every store is a RocksDB store with a compacted changelog ({@link #changelogTopics}).
 */
public final class StateTopology {
    /** Job id -> JobRecord JSON; what GET /v1/jobs/{id} reads. */
    public static final String RECORDS = "job-records";
    /** The per-tenant job index, see {@link TenantIndex}; what GET /v1/jobs reads. */
    public static final String INDEX = "job-index";
    /** Tenant -> its unfinished jobs in the partition (8-byte count). */
    public static final String ACTIVE = "tenant-active";
    /** Timers, see {@link Schedule}. */
    public static final String SCHEDULE = "lifecycle-schedule";
    /** Webhook retries waiting for their due time. */
    public static final String WEBHOOK_DELAYS = "webhook-delays";
    /** Every store, in topology order. */
    public static final List<String> STORES = List.of(RECORDS, INDEX, ACTIVE, SCHEDULE, WEBHOOK_DELAYS);
    static final String STATE_SINK = "job-state-sink";
    static final String CONTROL_SINK = "job-control-sink";
    static final String USAGE_SINK = "tenant-usage-sink";
    static final String WEBHOOK_SINK = "webhooks-sink";

    private StateTopology() {
    }

    /**
     * Builds the topology; {@code objects} may be null, which turns retention off. The partitions' processors
     * list their stores in {@code owned} while they run.
     */
    public static Topology build(LifecycleConfig cfg, ObjectStore objects, StateCounters counters,
                                 RecordArrivals arrivals, QueueGauges gauges, OwnedStores owned) {
        Topology t = new Topology();
        t.addSource("job-events", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.JOB_EVENTS);
        t.addProcessor("lifecycle", () -> new LifecycleProcessor(cfg, objects, counters, arrivals, gauges,
                owned), "job-events");
        for (String store : List.of(RECORDS, INDEX, ACTIVE, SCHEDULE)) {
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                    Serdes.String(), Serdes.ByteArray()), "lifecycle");
        }
        t.addSink(STATE_SINK, Topics.JOB_STATE, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "lifecycle");
        t.addSink(CONTROL_SINK, Topics.JOB_CONTROL, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "lifecycle");
        t.addSink(USAGE_SINK, Topics.TENANT_USAGE, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                new SamePartition(), "lifecycle");
        t.addSink(WEBHOOK_SINK, Topics.WEBHOOKS, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "lifecycle");

        t.addSource("webhook-retries", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.WEBHOOK_RETRIES);
        t.addProcessor("webhook-delay", () -> new WebhookDelayProcessor(WEBHOOK_DELAYS, "webhooks-due-sink",
                cfg.tick()), "webhook-retries");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WEBHOOK_DELAYS),
                Serdes.String(), Serdes.ByteArray()), "webhook-delay");
        t.addSink("webhooks-due-sink", Topics.WEBHOOKS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "webhook-delay");
        return t;
    }

    /** The changelog topic Kafka Streams keeps for each store ({@code <application id>-<store>-changelog}). */
    public static List<String> changelogTopics() {
        return STORES.stream().map(s -> JobStateProcessor.APPLICATION_ID + "-" + s + "-changelog").toList();
    }

    /** Usage records go to the partition their key names: the job-event partition they describe. */
    private static final class SamePartition implements StreamPartitioner<String, byte[]> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
            int p = UsageRecords.partitionOf(key);
            return p < 0 ? Optional.empty() : Optional.of(Set.of(p % numPartitions));
        }
    }
}
