package io.photomaker.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.infra.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker's reader of {@code photomaker.job-control}, against a real broker with two partitions. */
class JobControlReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;
    private JobControlReader reader;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(2);
        producer = new KafkaProducer<>(KafkaClients.producer(kafka.settings(), "control-test"));
    }

    @AfterAll
    static void stop() {
        producer.close();
        kafka.close();
    }

    @AfterEach
    void closeReader() {
        if (reader != null) {
            reader.close();
        }
    }

    private static String write(int partition, JobControl c) throws Exception {
        String id = JobIds.newJobId();
        producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, partition, id, Json.bytes(c))).get(10, TimeUnit.SECONDS);
        return id;
    }

    private static void write(int partition, String id, JobControl c) throws Exception {
        producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, partition, id, Json.bytes(c))).get(10, TimeUnit.SECONDS);
    }

    /** Commits {@code offset} for the worker group in partition {@code partition} of the work queue. */
    private static void workersConsumedUpTo(int partition, long offset) {
        commit(Topics.WORKER_GROUP, new TopicPartition(Topics.JOBS, partition), offset);
    }

    /** Commits {@code offset} in {@code tp} for consumer group {@code group}, without joining it. */
    private static void commit(String group, TopicPartition tp, long offset) {
        Properties p = new Properties();
        p.putAll(KafkaClients.groupConsumer(kafka.settings(), group, "test-committer"));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(List.of(tp));
            c.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        }
    }

    private static JobControl running(int attempt, int partition, long item) {
        return new JobControl(attempt, false, false, new WorkItemRef("photomaker.jobs", partition, item, 1));
    }

    @Test
    void it_reads_only_the_control_partitions_of_its_work_queue_partitions_and_says_when_one_is_loaded()
            throws Exception {
        String mine = write(0, running(1, 0, 3));
        String other = write(1, running(1, 1, 3));
        reader = new JobControlReader(kafka.settings(), "w-follow").start();
        assertFalse(reader.caughtUp(0), "nothing is followed yet");

        reader.follow(List.of(0));
        Await.until("partition 0 to load", WAIT, () -> reader.caughtUp(0));
        assertEquals(1, reader.get(mine).orElseThrow().attempt());
        assertTrue(reader.get(other).isEmpty(), "partition 1 is another worker's");
        assertFalse(reader.caughtUp(1));
        ControlReadiness gate = new ControlReadiness(reader, Topics.JOBS);
        assertTrue(gate.isReady(new TopicPartition(Topics.JOBS, 0)));
        assertTrue(gate.isReady(new TopicPartition(Topics.IDENTITY_REQUESTS, 1)), "other queues are not gated");
        assertFalse(gate.isReady(new TopicPartition(Topics.JOBS, 1)), "a work item of a partition not loaded must not start");
        Await.until("asking about partition 1 to load it", WAIT, () -> gate.isReady(new TopicPartition(Topics.JOBS, 1)));
        assertTrue(reader.get(other).isPresent());

        reader.follow(List.of(1));
        Await.until("partition 0 to be dropped", WAIT, () -> !reader.caughtUp(0));
        assertTrue(reader.caughtUp(1));
        assertTrue(reader.get(other).isPresent());
        assertTrue(reader.get(mine).isEmpty(), "a partition given away is forgotten");
        assertFalse(reader.caughtUp(0));
    }

    @Test
    void a_cancel_written_after_loading_reaches_the_reader() throws Exception {
        String id = write(0, running(1, 0, 9));
        reader = new JobControlReader(kafka.settings(), "w-cancel").start();
        reader.follow(List.of(0));
        Await.until("partition 0 to load", WAIT, () -> reader.caughtUp(0));
        assertFalse(reader.get(id).orElseThrow().cancelRequested());

        write(0, id, new JobControl(1, true, false, new WorkItemRef("photomaker.jobs", 0, 9, 1)));
        Await.until("the cancel to arrive", WAIT, () -> reader.get(id).map(JobControl::cancelRequested).orElse(false));
    }

    @Test
    void jobs_that_ended_below_the_worker_groups_offset_on_its_queue_are_not_kept()
            throws Exception {
        workersConsumedUpTo(1, 50);
        String settled = write(1, new JobControl(1, false, true, new WorkItemRef("photomaker.jobs", 1, 10, 1)));
        String endedAhead = write(1, new JobControl(0, true, true, new WorkItemRef("photomaker.jobs", 1, 60, 1)));
        String live = write(1, running(1, 1, 5));
        String otherModel = write(1, new JobControl(1, false, true,
                new WorkItemRef("photomaker.jobs.photomaker-v2", 1, 10, 1)));
        reader = new JobControlReader(kafka.settings(), "w-settled").start();
        reader.follow(List.of(1));
        Await.until("partition 1 to load", WAIT, () -> reader.caughtUp(1));

        assertTrue(reader.get(settled).isEmpty(), "ended, and its work item is behind the workers");
        assertTrue(reader.get(endedAhead).orElseThrow().terminal(), "its work item is still ahead: keep it");
        assertTrue(reader.get(live).isPresent(), "an unfinished job is always kept");
        assertTrue(reader.get(otherModel).isPresent(), "another queue's offsets say nothing about it");
    }

    /** Writes a job event to partition {@code partition} of the job-events topic; returns its offset. */
    private static long event(int partition, String jobId) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, partition, jobId, new byte[] {'{', '}'}))
                .get(10, TimeUnit.SECONDS).offset();
    }

    /** Commits {@code offset} in job-events partition {@code partition} as the state processor does. */
    private static void processorAppliedUpTo(int partition, long offset) {
        commit(Topics.STATE_PROCESSOR_GROUP, new TopicPartition(Topics.JOB_EVENTS, partition), offset);
    }

    @Test
    void a_partition_read_again_waits_until_the_state_processor_has_applied_the_events_written_before()
            throws Exception {
        processorAppliedUpTo(0, event(0, JobIds.newJobId()) + 1);
        reader = new JobControlReader(kafka.settings(), "w-handover").start();
        reader.follow(List.of(0));
        Await.until("partition 0 to load", WAIT, () -> reader.caughtUp(0));

        String finished = JobIds.newJobId();
        long last = event(0, finished);
        reader.handOver(0);
        assertFalse(reader.caughtUp(0), "held back from the moment it is handed over");
        long rounds = reader.rounds();
        Await.until("the reader to look a few times", WAIT, () -> reader.rounds() >= rounds + 5);
        assertFalse(reader.caughtUp(0), "the processor has not applied the last event yet");

        write(0, finished, new JobControl(1, false, true, new WorkItemRef("photomaker.jobs", 0, 4, 1)));
        processorAppliedUpTo(0, last + 1);
        Await.until("the handover to complete", WAIT, () -> reader.caughtUp(0));
        assertTrue(reader.get(finished).orElseThrow().terminal(),
                "what the processor wrote for those events is known before work starts");
    }

    @Test
    void a_partition_without_processor_history_is_ready_at_once_and_a_processor_behind_holds_it_only_the_wait()
            throws Exception {
        reader = new JobControlReader(kafka.settings(), "w-no-history").start();
        reader.handOver(1);
        Await.until("a partition the processor never committed for to be ready", WAIT, () -> reader.caughtUp(1));
        reader.close();

        processorAppliedUpTo(1, 0);
        event(1, JobIds.newJobId());
        Duration wait = Duration.ofSeconds(2);
        reader = new JobControlReader(kafka.settings(), "w-behind", Topics.WORKER_GROUP, Topics.JOBS, wait).start();
        long from = System.nanoTime();
        reader.handOver(1);
        Await.until("the wait to run out", WAIT, () -> reader.caughtUp(1));
        assertTrue(System.nanoTime() - from >= wait.toNanos(), "not ready before the wait was over");
    }
}
