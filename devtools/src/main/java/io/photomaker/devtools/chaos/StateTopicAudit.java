package io.photomaker.devtools.chaos;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
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
 * Reads the whole job-state history and finds jobs that were given more than one distinct outcome
 * (a different terminal status, attempt or set of outputs): the visible sign of duplicated work.
 */
final class StateTopicAudit {
    private final KafkaSettings kafka;

    StateTopicAudit(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** The jobs among {@code jobIds} with more than one distinct outcome (a mutable set). */
    Set<String> jobsWithSeveralOutcomes(Set<String> jobIds) {
        Map<String, Set<String>> outcomes = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, "chaos-audit"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.JOB_STATE, Duration.ofSeconds(30)).stream()
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
                    JobRecord rec = Json.read(r.value(), JobRecord.class);
                    if (rec.status().isTerminal()) {
                        String outcome = rec.status().wireName() + "|" + rec.attempt() + "|"
                                + rec.outputs().stream().map(o -> o.key() + ":" + o.seed()).toList();
                        outcomes.computeIfAbsent(r.key(), k -> new HashSet<>()).add(outcome);
                    }
                }
            }
        }
        Set<String> several = new HashSet<>();
        outcomes.forEach((id, distinct) -> {
            if (distinct.size() > 1) {
                several.add(id);
            }
        });
        return several;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }
}
