package io.photomaker.gateway.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one verdict leads to inside the state processor, on its real topology and RocksDB stores (Kafka's
 * topology test driver, no broker): the tenant index GET /v1/jobs lists from, the control records workers
 * read, and the tenant counts and watermarks the gateways' quotas use.
 */
class StateOutputsTest {
    private static final String TENANT = "acme";
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> control;
    private TestOutputTopic<String, byte[]> usage;
    private QueueGauges gauges;
    private KeyValueStore<String, byte[]> index;
    private OwnedStores owned;

    @BeforeEach
    void start() {
        Path dir = Fixtures.tempDir("state-outputs");
        LifecycleConfig cfg = LifecycleConfig.defaults().withStateDir(dir);
        Properties p = JobStateProcessor.properties(new io.photomaker.common.config.KafkaSettings("unused:9092", 1,
                (short) 1), cfg, dir);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        gauges = new QueueGauges();
        owned = new OwnedStores();
        driver = new TopologyTestDriver(StateTopology.build(cfg, null, new StateCounters(new SimpleMeterRegistry()),
                new RecordArrivals(), gauges, owned), p);
        events = driver.createInputTopic(Topics.JOB_EVENTS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        control = driver.createOutputTopic(Topics.JOB_CONTROL, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        usage = driver.createOutputTopic(Topics.TENANT_USAGE, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        index = driver.getKeyValueStore(StateTopology.INDEX);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(JobEvent e) {
        events.pipeInput(e.jobId(), Json.bytes(e));
    }

    private List<String> listed(String tenant, JobStatus status, String before) {
        return TenantIndex.newest(index, tenant, status, before, 10);
    }

    @Test
    void a_running_partition_lists_its_own_stores_for_reads_until_its_processor_closes() {
        JobMessage job = Fixtures.job(TENANT);
        send(JobEvent.submitted(job));

        assertEquals(java.util.Set.of(0), owned.partitions());
        JobRecord stored = Json.read(owned.store(StateTopology.RECORDS, 0).get(job.jobId()), JobRecord.class);
        assertEquals(JobStatus.QUEUED, stored.status());
        assertEquals(List.of(job.jobId()), TenantIndex.newest(owned.store(StateTopology.INDEX, 0), TENANT, null,
                null, 10));
        assertNull(owned.store(StateTopology.RECORDS, 1), "a partition not run here has no stores");
        assertNull(owned.store(StateTopology.SCHEDULE, 0), "only the stores reads use are listed");

        driver.close();
        driver = null;
        assertEquals(java.util.Set.of(), owned.partitions(), "a closed processor takes its stores away");
    }

    @Test
    void every_verdict_keeps_the_tenant_index_so_a_listing_is_newest_first_with_or_without_a_status() {
        List<JobMessage> jobs = Stream.of(1, 2, 3).map(i -> Fixtures.job(TENANT)).toList();
        jobs.forEach(j -> send(JobEvent.submitted(j)));
        send(JobEvent.submitted(Fixtures.job("other")));
        JobMessage running = jobs.get(1);
        send(JobEvent.started(running, 1, "w1", 4));
        List<String> newestFirst = jobs.stream().map(JobMessage::jobId).sorted(Comparator.reverseOrder()).toList();

        assertEquals(newestFirst, listed(TENANT, null, null));
        assertEquals(List.of(running.jobId()), listed(TENANT, JobStatus.RUNNING, null));
        assertEquals(newestFirst.stream().filter(id -> !id.equals(running.jobId())).toList(),
                listed(TENANT, JobStatus.QUEUED, null));
        assertEquals(newestFirst.subList(1, 3), listed(TENANT, null, newestFirst.get(0)), "a cursor is a job id");
        assertEquals(1, listed("other", null, null).size());
        assertEquals(List.of(), listed("acm", null, null), "a tenant name that is a prefix of another sees nothing");
    }

    @Test
    void a_control_record_is_written_when_the_attempt_a_cancel_or_the_end_changes_and_not_for_progress() {
        JobMessage job = Fixtures.job(TENANT);
        WorkItemRef place = new WorkItemRef("photomaker.jobs", 0, 7, 1);
        send(JobEvent.submitted(job, place));
        send(JobEvent.started(job, 1, "w1", 4));
        send(JobEvent.progress(job.jobId(), 1, "w1", 1, 4));
        send(JobEvent.progress(job.jobId(), 1, "w1", 2, 4));
        send(JobEvent.cancelRequested(job.jobId()));
        send(JobEvent.canceled(job.jobId(), 1, "w1"));

        List<JobControl> written = control.readRecordsToList().stream()
                .map(r -> Json.read(r.value(), JobControl.class)).toList();
        assertEquals(List.of(new JobControl(0, false, false, place), new JobControl(1, false, false, place),
                new JobControl(1, true, false, place), new JobControl(1, true, true, place)), written);
    }

    @Test
    void a_tenants_count_rises_with_each_new_job_and_falls_when_one_ends_and_the_watermark_follows() {
        JobMessage a = Fixtures.job(TENANT);
        JobMessage b = Fixtures.job(TENANT);
        send(JobEvent.submitted(a));
        send(JobEvent.submitted(b));
        send(JobEvent.started(a, 1, "w1", 4));
        send(JobEvent.progress(a.jobId(), 1, "w1", 1, 4));
        send(JobEvent.succeeded(a.jobId(), 1, "w1", List.of(new JobOutput("outputs/x/0.png", 64, 64, 1))));

        List<TestRecord<String, byte[]>> counts = usage.readRecordsToList();
        assertEquals(List.of("1", "2", "1"), counts.stream().map(r -> new String(r.value())).toList());
        counts.forEach(r -> assertEquals(UsageRecords.countKey(TENANT, 0), r.key()));
        assertEquals(1, gauges.queued());
        assertEquals(0, gauges.running());

        driver.advanceWallClockTime(Duration.ofMillis(300));
        TestRecord<String, byte[]> watermark = usage.readRecord();
        assertEquals(UsageRecords.watermarkKey(0), watermark.key());
        assertEquals(4, UsageRecords.parse(watermark.value()), "the fifth event has offset 4");
        driver.advanceWallClockTime(Duration.ofMillis(300));
        assertTrue(usage.isEmpty(), "an unchanged watermark is not written again");

        send(JobEvent.succeeded(b.jobId(), 1, "w1", List.of()));
        send(JobEvent.started(b, 1, "w1", 4));
        send(JobEvent.failed(b.jobId(), 1, "w1", io.photomaker.common.job.JobFailure.permanent("x", "y")));
        TestRecord<String, byte[]> last = usage.readRecord();
        assertNull(last.value(), "a tenant without unfinished jobs is a tombstone");
        assertEquals(0, gauges.queued());
    }
}
