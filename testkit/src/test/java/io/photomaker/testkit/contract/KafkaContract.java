package io.photomaker.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What the system needs from a Kafka cluster; run against the embedded broker and, with Docker, a container. */
abstract class KafkaContract {
    protected abstract KafkaSettings kafka();

    @Test
    void the_system_topics_exist_with_a_compacted_state_topic() throws Exception {
        KafkaClients.ensureTopics(kafka());
        try (Admin admin = Admin.create(KafkaClients.admin(kafka()))) {
            Set<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            assertTrue(names.containsAll(List.of(Topics.JOBS, Topics.JOB_EVENTS, Topics.JOB_STATE, Topics.DLQ)), names.toString());
            var cfg = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.JOB_STATE)))
                    .all().get(20, TimeUnit.SECONDS);
            assertEquals("compact", cfg.values().iterator().next().get("cleanup.policy").value());
        }
    }

    @Test
    void a_verdict_written_to_the_state_topic_reaches_the_state_view() throws Exception {
        KafkaClients.ensureTopics(kafka());
        String id = "job_" + UUID.randomUUID();
        JobMessage job = TestJobs.message().id(id).request(TestJobs.request().prompt("a woman img").seed(1))
                .submittedAt(1).build();
        JobRecord rec = io.photomaker.common.state.JobStateMachine.apply(null, JobEvent.submitted(job)).record();
        try (JobStateView view = new JobStateView(kafka(), "contract-view").start(Duration.ofSeconds(20));
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(kafka(), "contract"))) {
            var pending = view.awaitRecord(id, Duration.ofSeconds(30));
            p.send(new ProducerRecord<>(Topics.JOB_STATE, id, Json.bytes(rec))).get(20, TimeUnit.SECONDS);
            JobRecord seen = pending.get(20, TimeUnit.SECONDS);
            assertEquals(rec, seen);
        }
    }

    @Test
    void waiting_for_a_job_that_never_appears_ends_with_a_timeout() throws Exception {
        KafkaClients.ensureTopics(kafka());
        try (JobStateView view = new JobStateView(kafka(), "contract-view-2").start(Duration.ofSeconds(20))) {
            var pending = view.awaitRecord("job_" + UUID.randomUUID(), Duration.ofMillis(300));
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> pending.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException, e.toString());
        }
    }
}
