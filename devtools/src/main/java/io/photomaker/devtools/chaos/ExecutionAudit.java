package io.photomaker.devtools.chaos;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.testkit.kafka.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the whole job-event history and counts, per job, the executions workers reported: starts per
 * attempt, and outcomes (succeeded or failed) reported by a worker. A redelivered event (same event id)
 * counts once.
 */
final class ExecutionAudit {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
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
        TopicReader.readAll(kafka, Topics.JOB_EVENTS, "chaos-executions", READ_TIMEOUT, r -> {
            if (r.value() != null && jobIds.contains(r.key())) {
                JobEvent e = Json.read(r.value(), JobEvent.class);
                if (seen.add(e.eventId())) {
                    tallies.computeIfAbsent(e.jobId(), k -> new Tally()).add(e);
                }
            }
        });
        Map<String, Executions> result = new HashMap<>();
        tallies.forEach((id, t) -> result.put(id, t.executions()));
        return result;
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
