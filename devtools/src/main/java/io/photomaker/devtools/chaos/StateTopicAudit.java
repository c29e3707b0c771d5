package io.photomaker.devtools.chaos;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.testkit.kafka.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the whole job-state history and finds jobs that were given more than one distinct outcome
 * (a different terminal status, attempt or set of outputs): the visible sign of duplicated work.
 */
final class StateTopicAudit {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private final KafkaSettings kafka;

    StateTopicAudit(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** The jobs among {@code jobIds} with more than one distinct outcome (a mutable set). */
    Set<String> jobsWithSeveralOutcomes(Set<String> jobIds) {
        Map<String, Set<String>> outcomes = new HashMap<>();
        TopicReader.readAll(kafka, Topics.JOB_STATE, "chaos-audit", READ_TIMEOUT, r -> {
            if (r.value() != null && jobIds.contains(r.key())) {
                JobRecord rec = Json.read(r.value(), JobRecord.class);
                if (rec.status().isTerminal()) {
                    String outcome = rec.status().wireName() + "|" + rec.attempt() + "|"
                            + rec.outputs().stream().map(o -> o.key() + ":" + o.seed()).toList();
                    outcomes.computeIfAbsent(r.key(), k -> new HashSet<>()).add(outcome);
                }
            }
        });
        Set<String> several = new HashSet<>();
        outcomes.forEach((id, distinct) -> {
            if (distinct.size() > 1) {
                several.add(id);
            }
        });
        return several;
    }
}
