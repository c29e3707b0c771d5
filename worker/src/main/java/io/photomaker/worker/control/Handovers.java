package io.photomaker.worker.control;

import io.photomaker.common.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back a work-queue partition this worker has just been given, or is about to read again after a
 * hand-back, until the state processor has caught up with it: until the processor has applied every job event
 * written to the matching job-events partition before the handover, and the control partition has been read
 * past what it wrote for them. Otherwise a work item that the previous reader finished or retried moments
 * before (its offset not committed yet) is read again while the control topic does not show that yet, and
 * runs a second time.
 *
 * <p>The processor commits its job-events offsets in the same transaction as the control records they lead to
 * (exactly-once), so once its committed offset has reached the events' end as of the handover, those control
 * records are readable. A partition the processor has never committed for has no history to wait for. The
 * wait is bounded ({@link #maxWait}): a processor that is down or far behind holds no partition longer than
 * that, and the worker logs that it went on without it. Driven by the control reader's thread
 * ({@link #advance}); {@link #request} and {@link #isPending} may be called from any thread.
 */
final class Handovers {
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Handovers.class);

    private enum Phase { REQUESTED, AWAIT_PROCESSOR, AWAIT_CONTROL }

    /** One partition's handover; touched by the reader's thread only after {@link #request}. */
    private static final class Pending {
        private Phase phase = Phase.REQUESTED;
        private long eventsEnd;
        private long controlEnd;
        private long since;
    }

    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final GroupOffsets offsets;
    private final Duration maxWait;

    Handovers(GroupOffsets offsets, Duration maxWait) {
        this.offsets = offsets;
        this.maxWait = maxWait;
    }

    /** Holds {@code partition} back from now until the processor has caught up with it (a newer request restarts). */
    void request(int partition) {
        pending.put(partition, new Pending());
    }

    boolean isPending(int partition) {
        return pending.containsKey(partition);
    }

    /**
     * Moves every pending handover on as far as it can go now. {@code consumer} is the control reader's: it
     * reads end offsets and its position in the control partitions it follows ({@code followed}).
     */
    void advance(Consumer<?, ?> consumer, java.util.Set<Integer> followed, long now) {
        if (pending.isEmpty()) {
            return;
        }
        Map<Integer, Pending> requested = inPhase(Phase.REQUESTED);
        if (!requested.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions(Topics.JOB_EVENTS, requested));
            requested.forEach((p, h) -> {
                h.eventsEnd = ends.getOrDefault(new TopicPartition(Topics.JOB_EVENTS, p), 0L);
                h.since = now;
                h.phase = Phase.AWAIT_PROCESSOR;
            });
        }
        Map<Integer, Pending> waiting = inPhase(Phase.AWAIT_PROCESSOR);
        if (!waiting.isEmpty()) {
            Map<TopicPartition, Long> applied = offsets.committed(Topics.STATE_PROCESSOR_GROUP,
                    partitions(Topics.JOB_EVENTS, waiting));
            Map<Integer, Pending> caught = new HashMap<>();
            waiting.forEach((p, h) -> {
                Long at = applied == null ? null : applied.get(new TopicPartition(Topics.JOB_EVENTS, p));
                if (applied != null && (at == null || at >= h.eventsEnd)) {
                    caught.put(p, h);
                } else if (now - h.since >= maxWait.toMillis()) {
                    LOG.warn("work partition {}: the state processor has not applied its job events up to {} after"
                            + " {} ms (at {}); taking work from it anyway", p, h.eventsEnd, now - h.since,
                            at == null ? "unknown" : at);
                    pending.remove(p, h);
                }
            });
            if (!caught.isEmpty()) {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions(Topics.JOB_CONTROL, caught));
                caught.forEach((p, h) -> {
                    h.controlEnd = ends.getOrDefault(new TopicPartition(Topics.JOB_CONTROL, p), 0L);
                    h.phase = Phase.AWAIT_CONTROL;
                });
            }
        }
        inPhase(Phase.AWAIT_CONTROL).forEach((p, h) -> {
            if (followed.contains(p) && consumer.position(new TopicPartition(Topics.JOB_CONTROL, p)) >= h.controlEnd) {
                pending.remove(p, h);
                LOG.info("work partition {} handed over: job events applied up to {}, control read to {} ({} ms)",
                        p, h.eventsEnd, h.controlEnd, now - h.since);
            }
        });
    }

    private Map<Integer, Pending> inPhase(Phase phase) {
        Map<Integer, Pending> out = new HashMap<>();
        pending.forEach((p, h) -> {
            if (h.phase == phase) {
                out.put(p, h);
            }
        });
        return out;
    }

    private static List<TopicPartition> partitions(String topic, Map<Integer, Pending> of) {
        return of.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
    }
}
