package io.photomaker.worker.loop;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval, tells a sink the lag of this consumer's partitions of one topic: end offset minus
 * committed offset, so work taken but not committed (running, prefetched, held for a retry) counts, as it
 * does for the autoscaler. Called from the loop's thread.
 */
final class LagReporter {
    private static final Logger LOG = LoggerFactory.getLogger(LagReporter.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<?, ?> consumer;
    private final String topic;
    private final Clock clock;
    private final Duration interval;
    private final LongConsumer sink;
    private long nextAt;

    LagReporter(Consumer<?, ?> consumer, String topic, Clock clock, Duration interval, LongConsumer sink) {
        this.consumer = consumer;
        this.topic = topic;
        this.clock = clock;
        this.interval = interval;
        this.sink = sink;
    }

    /** Measures and reports when the interval has passed since the last report. */
    void maybeReport() {
        long now = clock.millis();
        if (now < nextAt) {
            return;
        }
        nextAt = now + interval.toMillis();
        Set<TopicPartition> mine = consumer.assignment().stream()
                .filter(tp -> tp.topic().equals(topic)).collect(Collectors.toSet());
        if (mine.isEmpty()) {
            sink.accept(0);
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(mine, QUERY_TIMEOUT);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(mine, QUERY_TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(mine, QUERY_TIMEOUT);
            long lag = 0;
            for (TopicPartition tp : mine) {
                OffsetAndMetadata c = committed.get(tp);
                long from = Math.max(c == null ? 0 : c.offset(), starts.getOrDefault(tp, 0L));
                lag += Math.max(0, ends.getOrDefault(tp, from) - from);
            }
            sink.accept(lag);
        } catch (RetriableException | RebalanceInProgressException e) {
            // The gauge keeps its last value; the next round asks again.
            LOG.debug("consumer lag not measured: {}", e.toString());
        }
    }
}
