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
import io.photomaker.common.state.JobControl;
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
    void the_control_topic_is_compacted_and_partitioned_like_the_work_queue() throws Exception {
        KafkaClients.ensureTopics(kafka());
        try (Admin admin = Admin.create(KafkaClients.admin(kafka()))) {
            var topics = admin.describeTopics(List.of(Topics.JOBS, Topics.JOB_CONTROL)).allTopicNames()
                    .get(20, TimeUnit.SECONDS);
            assertEquals(topics.get(Topics.JOBS).partitions().size(), topics.get(Topics.JOB_CONTROL).partitions().size());
            var cfg = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.JOB_CONTROL)))
                    .all().get(20, TimeUnit.SECONDS);
            assertEquals("compact", cfg.values().iterator().next().get("cleanup.policy").value());
        }
    }

    @Test
    void a_control_record_lands_in_the_partition_of_its_work_item() throws Exception {
        KafkaClients.ensureTopics(kafka());
        String id = "job_" + UUID.randomUUID();
        JobMessage job = TestJobs.message().id(id).request(TestJobs.request().prompt("a woman img").seed(1))
                .submittedAt(1).build();
        JobRecord rec = io.photomaker.common.state.JobStateMachine.apply(null, JobEvent.submitted(job)).record();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(kafka(), "contract"))) {
            var item = p.send(new ProducerRecord<>(Topics.JOBS, id, Json.bytes(job))).get(20, TimeUnit.SECONDS);
            var control = p.send(new ProducerRecord<>(Topics.JOB_CONTROL, id, Json.bytes(JobControl.of(rec))))
                    .get(20, TimeUnit.SECONDS);
            assertEquals(item.partition(), control.partition());
        }
    }
}
