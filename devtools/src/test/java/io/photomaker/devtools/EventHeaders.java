package io.photomaker.devtools;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.common.kafka.Topics;
import io.photomaker.testkit.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads a job's lifecycle events back from Kafka and the parent span each one's trace headers name. */
final class EventHeaders {
    private EventHeaders() {
    }

    /** Event type (wire name) to the span id in its {@code traceparent} header, up to the terminal event. */
    static Map<String, String> traceparents(String bootstrap, String jobId) {
        Map<String, String> parents = new HashMap<>();
        KafkaSettings kafka = new KafkaSettings(bootstrap, 1, (short) 1);
        try (TopicReader reader = TopicReader.fromBeginning(kafka, Topics.JOB_EVENTS, "trace-reader")) {
            reader.readUntil("the succeeded event of " + jobId, Duration.ofSeconds(30), r -> {
                if (jobId.equals(r.key())) {
                    parents.put(Json.read(r.value(), JobEvent.class).type().wireName(), spanIdOf(r));
                }
            }, () -> parents.containsKey("succeeded"));
        }
        return parents;
    }

    private static String spanIdOf(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(KafkaHeaders.TRACEPARENT);
        if (h == null) {
            return null;
        }
        String[] parts = new String(h.value(), StandardCharsets.UTF_8).split("-");
        return parts.length == 4 ? parts[2] : null;
    }
}
