package io.photomaker.testkit.kafka;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic from its first offsets without a consumer group, for tests, audits and benchmarks that
 * look at what the system wrote: every partition assigned, each record handed to a callback in partition
 * order. Reads end when the offsets the topic had at the start of the read are reached, or when a condition
 * holds; either way a read that does not end in time fails with what it was waiting for.
 */
public final class TopicReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final String topic;

    private TopicReader(KafkaSettings kafka, String topic, String clientId) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, clientId));
        this.topic = topic;
        try {
            this.partitions = KafkaClients.assignFromBeginning(consumer, topic, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** A reader of every partition of {@code topic}, positioned at the first offsets. */
    public static TopicReader fromBeginning(KafkaSettings kafka, String topic, String clientId) {
        return new TopicReader(kafka, topic, clientId);
    }

    /** Hands every record up to the topic's end offsets (as they are now) to {@code each}. */
    public TopicReader readToEnd(Duration timeout, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Await.until("reading " + topic + " to its end offsets " + end.values(), timeout, () -> {
            consumer.poll(POLL).forEach(each);
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return this;
    }

    /** Hands records to {@code each} until {@code done} holds after a poll. */
    public TopicReader readUntil(String what, Duration timeout, Consumer<ConsumerRecord<String, byte[]>> each,
            BooleanSupplier done) {
        Await.until(what + " in " + topic, timeout, () -> {
            consumer.poll(POLL).forEach(each);
            return done.getAsBoolean();
        });
        return this;
    }

    /** Reads the whole of {@code topic} as it is now, once. */
    public static void readAll(KafkaSettings kafka, String topic, String clientId, Duration timeout,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        try (TopicReader reader = fromBeginning(kafka, topic, clientId)) {
            reader.readToEnd(timeout, each);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
