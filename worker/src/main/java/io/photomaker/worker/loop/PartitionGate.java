package io.photomaker.worker.loop;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides, each loop round, which assigned partitions may give the loop work and pauses the others (a
 * paused partition keeps its place in the group while the loop keeps polling). A partition is open when
 * the loop accepts work, has room for it, the partition is ready ({@link PartitionReadiness}), it is not
 * cooling down after a hand-back and not being rewound, and it may set aside another delayed record. Not
 * thread-safe: the loop's thread only.
 */
final class PartitionGate {
    private final PartitionReadiness readiness;
    private final Clock clock;
    private final Map<TopicPartition, Long> coolingUntil = new HashMap<>();
    private final Set<TopicPartition> rewinding = new HashSet<>();

    PartitionGate(PartitionReadiness readiness, Clock clock) {
        this.readiness = readiness;
        this.clock = clock;
    }

    /** Keeps {@code tp} closed until {@code untilMillis} (the outage that caused a hand-back gets a moment). */
    void coolDown(TopicPartition tp, long untilMillis) {
        coolingUntil.put(tp, untilMillis);
    }

    /** Keeps {@code tp} closed until {@link #rewound}: its work in hand must settle before it is read again. */
    void rewind(TopicPartition tp) {
        rewinding.add(tp);
    }

    void rewound(TopicPartition tp) {
        rewinding.remove(tp);
    }

    /** The partitions waiting to be rewound. */
    Set<TopicPartition> rewinding() {
        return Set.copyOf(rewinding);
    }

    /**
     * Whether a record of {@code tp} may start now.
     *
     * @param accepting false while the loop drains
     * @param hasRoom whether the loop can take one more record
     * @param mayHold whether the partition may set aside another delayed record
     */
    boolean isOpen(TopicPartition tp, boolean accepting, boolean hasRoom, Predicate<TopicPartition> mayHold) {
        Long until = coolingUntil.get(tp);
        if (until != null && clock.millis() >= until) {
            coolingUntil.remove(tp);
            until = null;
        }
        return accepting && hasRoom && until == null && !rewinding.contains(tp) && mayHold.test(tp)
                && readiness.isReady(tp);
    }

    /** Pauses the assigned partitions that are not open and resumes the open ones. */
    void apply(Consumer<?, ?> consumer, boolean accepting, boolean hasRoom, Predicate<TopicPartition> mayHold) {
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>();
        Set<TopicPartition> toResume = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            boolean open = isOpen(tp, accepting, hasRoom, mayHold);
            if (!open && !paused.contains(tp)) {
                toPause.add(tp);
            } else if (open && paused.contains(tp)) {
                toResume.add(tp);
            }
        }
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    /** Forgets {@code partitions} (revoked). */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(coolingUntil::remove);
        rewinding.removeAll(partitions);
    }
}
