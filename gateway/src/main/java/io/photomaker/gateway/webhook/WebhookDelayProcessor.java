package io.photomaker.gateway.webhook;

import io.photomaker.common.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds webhook retries until they are due. Retries arrive on {@code photomaker.webhooks.retry} with a
 * due time; they wait in a changelogged key-value store ordered by due time, and a wall-clock
 * punctuator releases due ones into {@code photomaker.webhooks}. A retry due in ten hours thus blocks
 * nothing, and survives any restart once its record is in Kafka.
 */
public final class WebhookDelayProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelayProcessor.class);
    private static final int RELEASE_PER_TICK = 500;

    private final String storeName;
    private final String sinkName;
    private final Duration tick;
    private ProcessorContext<String, byte[]> ctx;
    private KeyValueStore<String, byte[]> waiting;

    public WebhookDelayProcessor(String storeName, String sinkName, Duration tick) {
        this.storeName = storeName;
        this.sinkName = sinkName;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        ctx = context;
        waiting = context.getStateStore(storeName);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::release);
    }

    @Override
    public void process(Record<String, byte[]> in) {
        WebhookDelivery d;
        try {
            d = Json.read(in.value(), WebhookDelivery.class);
        } catch (RuntimeException e) {
            LOG.warn("dropping an unreadable webhook retry {}: {}", in.key(), e.getMessage());
            return;
        }
        long now = ctx.currentSystemTimeMs();
        if (d.dueAt() <= now) {
            ctx.forward(new Record<>(d.id(), in.value(), now), sinkName);
        } else {
            waiting.put(key(d.dueAt(), d.id()), in.value());
        }
    }

    private void release(long now) {
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = waiting.range(pad(0), pad(now) + "|\uffff")) {
            while (it.hasNext() && due.size() < RELEASE_PER_TICK) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, byte[]> kv : due) {
            String deliveryId = kv.key.substring(kv.key.indexOf('|') + 1);
            ctx.forward(new Record<>(deliveryId, kv.value, now), sinkName);
            waiting.delete(kv.key);
        }
    }

    private static String key(long due, String deliveryId) {
        return pad(due) + "|" + deliveryId;
    }

    private static String pad(long millis) {
        return String.format("%016d", millis);
    }
}
