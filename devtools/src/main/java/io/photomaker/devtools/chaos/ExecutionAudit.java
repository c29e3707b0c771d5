package io.photomaker.devtools.chaos;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the whole job-event history and counts, per job, the executions workers reported: starts per
 * attempt, and outcomes (succeeded or failed) reported by a worker. A redelivered event (same event id)
 * counts once.
 */
final class ExecutionAudit {
    private final KafkaSettings kafka;

    ExecutionAudit(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /**
     * What workers did with one job.
     *
     * @param starts started events, one per execution
     * @param startsPerAttempt attempt number to started events for it
     * @param outcomes succeeded or failed events written by a worker
     * @param startsAfterOutcome executions started after the job already had a worker outcome
     */
    record Executions(int starts, Map<Integer, Integer> startsPerAttempt, int outcomes, int startsAfterOutcome) {

        /** The job ran twice where once was due: a second outcome, one attempt run twice, or a run after the end. */
        boolean duplicated() {
            return outcomes > 1 || startsAfterOutcome > 0 || startsPerAttempt.values().stream().anyMatch(n -> n > 1);
        }
    }

    Map<String, Executions> executions(Set<String> jobIds) {
        Map<String, Tally> tallies = new HashMap<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, "chaos-executions"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.JOB_EVENTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (!reached(c, end) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null || !jobIds.contains(r.key())) {
                        continue;
                    }
                    JobEvent e = Json.read(r.value(), JobEvent.class);
                    if (seen.add(e.eventId())) {
                        tallies.computeIfAbsent(e.jobId(), k -> new Tally()).add(e);
                    }
                }
            }
        }
        Map<String, Executions> result = new HashMap<>();
        tallies.forEach((id, t) -> result.put(id, t.executions()));
        return result;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    /** Counts for one job in topic order (one partition per job, so the order workers wrote them). */
    static final class Tally {
        private final Map<Integer, Integer> startsPerAttempt = new HashMap<>();
        private int starts;
        private int outcomes;
        private int startsAfterOutcome;

        void add(JobEvent e) {
            if (e.type() == EventType.STARTED) {
                starts++;
                startsPerAttempt.merge(e.attempt(), 1, Integer::sum);
                if (outcomes > 0) {
                    startsAfterOutcome++;
                }
            } else if ((e.type() == EventType.SUCCEEDED || e.type() == EventType.FAILED) && e.workerId() != null) {
                outcomes++;
            }
        }

        Executions executions() {
            return new Executions(starts, Map.copyOf(startsPerAttempt), outcomes, startsAfterOutcome);
        }
    }
}
