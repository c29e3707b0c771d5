package io.photomaker.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of one topic without a consumer group, on a daemon thread of its own, handing each
 * record to {@link #onRecord} in partition order. It starts from the topic's first offsets (to rebuild what the
 * topic holds) or from its end (to see only what comes next), waits for a topic that does not exist yet, and
 * stops on {@link #close()} with {@code wakeup()}. Subclasses keep what they need of the records; the callback
 * runs on the follower's thread and must not block.
 */
public abstract class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);

    /** Where reading starts. */
    public enum From { BEGINNING, END }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final From from;
    private final Duration poll;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    /**
     * @param consumerConfig a reader consumer's configuration ({@link KafkaClients#readerConsumer}), no group
     * @param poll how long one poll waits for records
     */
    protected TopicFollower(Properties consumerConfig, String topic, From from, String threadName, Duration poll) {
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.topic = topic;
        this.from = from;
        this.poll = poll;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Handles one record (a null value is a tombstone). */
    protected abstract void onRecord(ConsumerRecord<String, byte[]> record);

    /** Starts the thread; once only. */
    protected final void startFollowing() {
        thread.start();
    }

    /**
     * Whether the follower is reading and has caught up: from the beginning, once it has read what the topic
     * held when it started; from the end, once it is positioned there.
     */
    public boolean isCaughtUp() {
        return caughtUp && thread.isAlive();
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions();
            consumer.assign(parts);
            Map<TopicPartition, Long> end;
            if (from == From.END) {
                consumer.seekToEnd(parts);
                // resolves the lazy seek now, so that "caught up" means positioned at the end
                parts.forEach(consumer::position);
                end = Map.of();
            } else {
                consumer.seekToBeginning(parts);
                end = consumer.endOffsets(parts);
            }
            while (running) {
                if (!caughtUp && reached(end)) {
                    caughtUp = true;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(poll)) {
                    onRecord(r);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{} follower woken unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("{} follower stopped: {}", topic, e.toString(), e);
        } finally {
            caughtUp = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** The topic's partitions, once it exists (a cluster that provisions topics may create it after us). */
    private List<TopicPartition> partitions() {
        while (running) {
            var infos = consumer.partitionsFor(topic, METADATA_WAIT);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            LOG.warn("topic {} does not exist yet; waiting for it", topic);
        }
        throw new WakeupException();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
