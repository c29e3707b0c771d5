package io.photomaker.gateway.state;

import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.webhook.WebhookDelayProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The state processor's topology. Sub-topology one: {@code photomaker.job-events} -> lifecycle
 * processor (stores: job records, timers) -> {@code photomaker.job-state} and
 * {@code photomaker.webhooks}. Sub-topology two: {@code photomaker.webhooks.retry} -> delay store ->
 * {@code photomaker.webhooks} when due.
 */
public final class StateTopology {
    /** Job id -> JobRecord JSON. */
    public static final String RECORDS = "job-records";
    /** Timers, see {@link Schedule}. */
    public static final String SCHEDULE = "lifecycle-schedule";
    /** Webhook retries waiting for their due time. */
    public static final String WEBHOOK_DELAYS = "webhook-delays";
    static final String STATE_SINK = "job-state-sink";
    static final String WEBHOOK_SINK = "webhooks-sink";

    private StateTopology() {
    }

    /** Builds the topology; {@code objects} may be null, which turns retention off. */
    public static Topology build(LifecycleConfig cfg, ObjectStore objects, StateCounters counters) {
        Topology t = new Topology();
        t.addSource("job-events", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.JOB_EVENTS);
        t.addProcessor("lifecycle", () -> new LifecycleProcessor(cfg, objects, counters), "job-events");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECORDS),
                Serdes.String(), Serdes.ByteArray()), "lifecycle");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCHEDULE),
                Serdes.String(), Serdes.ByteArray()), "lifecycle");
        t.addSink(STATE_SINK, Topics.JOB_STATE, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "lifecycle");
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
}
