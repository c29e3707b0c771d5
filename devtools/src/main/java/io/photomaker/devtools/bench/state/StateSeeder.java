package io.photomaker.devtools.bench.state;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.SchedulerName;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.limits.UsageRecords;
import io.photomaker.gateway.state.QueueGauges;
import io.photomaker.gateway.state.Schedule;
import io.photomaker.gateway.state.StateTopology;
import io.photomaker.gateway.state.TenantIndex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes what the state processor would have written for {@code n} retained jobs, directly and with the
 * real serialisers: each job's record in the job-records changelog and on {@code photomaker.job-state}, its two
 * tenant-index entries, its retention timer, its control record, and the per-tenant counts of the unfinished
 * ones (store and {@code photomaker.tenant-usage}). One job in a hundred is still queued; the rest succeeded.
 * Each job lands in the partition its id hashes to, as the processor's task for that partition would have
 * put it. The worker group is given committed offsets past every finished job's work item. Setting up a
 * million jobs this way takes a minute or two instead of replaying millions of events.
 */
public final class StateSeeder implements AutoCloseable {
    /** Tenants the jobs are spread over. */
    public static final int TENANTS = 100;
    private static final int QUEUED_EVERY = 100;
    private static final long DAY = 86_400_000L;

    private final KafkaSettings kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final int partitions;
    private final long[] items;
    private final Map<String, long[]> queuedPerTenant = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Exception> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private long bytes;

    public StateSeeder(KafkaSettings kafka) {
        this.kafka = kafka;
        this.partitions = kafka.partitions();
        this.items = new long[partitions];
        Properties p = KafkaClients.producer(kafka, "state-seeder");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        // Batches no larger than the state processor's producer makes (Kafka's default): a reader keeps the last
        // batch it fetched of each partition, so larger ones would inflate what readers hold.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        this.producer = new KafkaProducer<>(p);
    }

    /** The partition a job id's events, record and control entry live in (the default partitioner's choice). */
    public static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The tenant of the {@code i}-th seeded job. */
    public static String tenantOf(long i) {
        return "tenant-" + (i % TENANTS);
    }

    /** Creates the system's topics and the state processor's changelogs (compacted, one partition per task). */
    public void createTopics() throws Exception {
        KafkaClients.ensureTopics(kafka);
        try (Admin admin = Admin.create(KafkaClients.admin(kafka))) {
            List<NewTopic> changelogs = new ArrayList<>();
            for (String t : StateTopology.changelogTopics()) {
                changelogs.add(new NewTopic(t, partitions, kafka.replicationFactor())
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            for (var created : admin.createTopics(changelogs).values().values()) {
                try {
                    created.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // A state processor that ran before created them already.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, StateTopology.changelogTopics());
        }
    }

    /** Waits until every partition of {@code topics} has a leader, so the first writes do not race elections. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            boolean led;
            try {
                led = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (java.util.concurrent.ExecutionException e) {
                // Just created: the broker's metadata may not know the topic yet.
                led = false;
            }
            if (led) {
                return;
            }
            // polling interval of the metadata check
            Thread.sleep(200);
        }
        throw new IllegalStateException("changelog partitions still have no leader");
    }

    /** Writes {@code n} jobs created {@code n} milliseconds apart ending now; returns their ids in order. */
    public List<String> seed(int n) {
        List<String> ids = new ArrayList<>(n);
        long start = System.currentTimeMillis() - n - DAY;
        for (int i = 0; i < n; i++) {
            JobRecord r = record(i, start + i);
            ids.add(r.id());
            write(r);
        }
        writeCounts();
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("seeding failed: " + failure.get(), failure.get());
        }
        commitWorkerOffsets();
        return ids;
    }

    /** Bytes of record values written (after serialisation, before compression). */
    public long bytesWritten() {
        return bytes;
    }

    private JobRecord record(int i, long createdAt) {
        String id = JobIds.jobIdAt(createdAt);
        String tenant = tenantOf(i);
        int p = partitionOf(id, partitions);
        boolean queued = i % QUEUED_EVERY == 0;
        WorkItemRef item = new WorkItemRef(Topics.JOBS, p, items[p]++, 1);
        JobRequest request = new JobRequest("a portrait photo of a woman img in a garden, seeded job " + i,
                "blurry, low quality", "Photographic (Default)", 30, 5.0, 0.0, 20.0, (long) i, 1024, 1024, 2,
                SchedulerName.EULER.wireName(), null, null, null, null);
        List<JobInput> inputs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            inputs.add(new JobInput(ObjectKeys.input(id, k, "jpg"), sha(i, k), "image/jpeg"));
        }
        if (queued) {
            return new JobRecord(id, tenant, JobStatus.QUEUED, 0, 0, 30, List.of(), null, false, false, request,
                    inputs, createdAt, 0, 0, createdAt, 0, 1, 0, item);
        }
        List<JobOutput> outputs = List.of(new JobOutput(ObjectKeys.output(id, 0), 1024, 1024, i),
                new JobOutput(ObjectKeys.output(id, 1), 1024, 1024, i + 1L));
        long finished = createdAt + 5_000;
        return new JobRecord(id, tenant, JobStatus.SUCCEEDED, 1, 60, 60, outputs, null, false, false, request,
                List.of(), createdAt, createdAt + 500, finished, finished, 0, 25, finished + DAY, item);
    }

    private void write(JobRecord r) {
        int p = r.workItem().partition();
        byte[] json = Json.bytes(r);
        send(Topics.JOB_STATE, p, r.id(), json);
        send(changelog(StateTopology.RECORDS), p, r.id(), json);
        for (String key : TenantIndex.keysOf(r)) {
            send(changelog(StateTopology.INDEX), p, key, new byte[0]);
        }
        send(Topics.JOB_CONTROL, p, r.id(), Json.bytes(JobControl.of(r)));
        if (r.status().isTerminal()) {
            long archiveAt = r.finishedAt() + 7 * DAY;
            send(changelog(StateTopology.SCHEDULE), p,
                    new Schedule.Entry(archiveAt, Schedule.Kind.ARCHIVE, r.id()).key(), new byte[0]);
        } else {
            queuedPerTenant.computeIfAbsent(r.tenant(), t -> new long[partitions])[p]++;
        }
    }

    private void writeCounts() {
        long[] queued = new long[partitions];
        queuedPerTenant.forEach((tenant, counts) -> {
            for (int p = 0; p < partitions; p++) {
                if (counts[p] > 0) {
                    queued[p] += counts[p];
                    send(changelog(StateTopology.ACTIVE), p, tenant, eightBytes(counts[p]));
                    send(Topics.TENANT_USAGE, p, UsageRecords.countKey(tenant, p), UsageRecords.number(counts[p]));
                }
            }
        });
        for (int p = 0; p < partitions; p++) {
            send(changelog(StateTopology.ACTIVE), p, QueueGauges.key(JobStatus.QUEUED), eightBytes(queued[p]));
        }
    }

    /**
     * Commits, for the worker group, an offset past every seeded work item: the workers have dealt with them all
     * (the queued jobs' control entries stay kept because those jobs have not ended).
     */
    private void commitWorkerOffsets() {
        Properties p = KafkaClients.groupConsumer(kafka, Topics.WORKER_GROUP, "state-seeder");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            offsets.put(new TopicPartition(Topics.JOBS, i), new OffsetAndMetadata(items[i]));
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(offsets.keySet());
            c.commitSync(offsets, Duration.ofSeconds(30));
        }
    }

    private void send(String topic, int partition, String key, byte[] value) {
        bytes += value.length;
        producer.send(new ProducerRecord<>(topic, partition, key, value), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    private static String changelog(String store) {
        return io.photomaker.gateway.state.JobStateProcessor.APPLICATION_ID + "-" + store + "-changelog";
    }

    private static byte[] eightBytes(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    private static String sha(int i, int k) {
        return String.format("%064x", (long) i * 31 + k);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
