package io.photomaker.worker.control;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this worker knows about the jobs of its partitions: it reads the compacted {@code photomaker.job-control}
 * topic (co-partitioned with the work queues), but only the partitions matching the work-queue partitions the
 * worker has been given ({@link #want}, asked by the loop through {@link ControlReadiness}), each from its
 * beginning. A partition is {@link #caughtUp} once everything written to it before it was followed has been
 * read; no job of it may start before. Entries that can no longer matter (the job ended and this worker's group
 * has consumed past its work item on this worker's queue, see {@link SettledOffsets}) are not kept, so memory
 * follows the live jobs, not the retained ones. The group's committed offsets only move forward while any
 * worker of it runs (Kafka resets offsets only of an empty group), so a dropped entry is never needed again by
 * this process. Entries are kept compactly ({@link ControlEntries}). Cancellation of a running job shows up in
 * {@link #get} within a poll of the state processor's commit.
 */
public final class JobControlReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobControlReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String jobsTopic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final GroupOffsets offsets;
    private final SettledOffsets settled;
    private final Handovers handovers;
    private final Thread thread;
    private final Map<Integer, ControlEntries> byPartition = new ConcurrentHashMap<>();
    private final Map<Integer, Long> loadedTo = new HashMap<>();
    private final Set<Integer> caughtUp = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Set<Integer>> wanted = new AtomicReference<>(Set.of());
    private final Map<Integer, Long> keepFrom = new ConcurrentHashMap<>();
    private Set<Integer> following = Set.of();
    private volatile boolean running = true;
    private volatile long rounds;

    /** A reader for a worker of {@link Topics#WORKER_GROUP} on {@link Topics#JOBS} (PhotoMaker V1). */
    public JobControlReader(KafkaSettings kafka, String clientId) {
        this(kafka, clientId, Topics.WORKER_GROUP, Topics.JOBS);
    }

    /** A reader for a worker of {@code workerGroup} taking work from {@code jobsTopic}. */
    public JobControlReader(KafkaSettings kafka, String clientId, String workerGroup, String jobsTopic) {
        this(kafka, clientId, workerGroup, jobsTopic, Handovers.DEFAULT_MAX_WAIT);
    }

    /** As above; a handed-over partition waits at most {@code handoverWait} for the state processor. */
    JobControlReader(KafkaSettings kafka, String clientId, String workerGroup, String jobsTopic,
                     Duration handoverWait) {
        this.jobsTopic = jobsTopic;
        java.util.Properties p = KafkaClients.readerConsumer(kafka, clientId);
        // Control records are tens of bytes: small fetches load a partition just as well, and the consumer keeps
        // the last fetch of every partition it reads, so this bounds that heap to a few MB, not a MB per partition.
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        this.consumer = new KafkaConsumer<>(p);
        this.offsets = new GroupOffsets(org.apache.kafka.clients.admin.Admin.create(KafkaClients.admin(kafka)));
        this.settled = new SettledOffsets(offsets, workerGroup, jobsTopic);
        this.handovers = new Handovers(offsets, handoverWait);
        this.thread = new Thread(this::run, "job-control");
        this.thread.setDaemon(true);
    }

    public JobControlReader start() {
        thread.start();
        return this;
    }

    /** Follows exactly the control partitions matching {@code jobPartitions} from now on. */
    public void follow(Collection<Integer> jobPartitions) {
        wanted.set(Set.copyOf(jobPartitions));
        wake();
    }

    /**
     * Follows the control partition matching work-queue partition {@code jobPartition} too, if it does not yet.
     * Partitions once followed stay followed (a revoked partition may come back, and a running job of it must
     * still see its cancel): at worst a worker follows every partition, which holds the live jobs only.
     */
    public void want(int jobPartition) {
        Set<Integer> now = wanted.get();
        if (!now.contains(jobPartition)) {
            wanted.updateAndGet(w -> {
                Set<Integer> more = new HashSet<>(w);
                more.add(jobPartition);
                return Set.copyOf(more);
            });
            wake();
        }
    }

    private void wake() {
        consumer.wakeup();
        synchronized (wanted) {
            wanted.notifyAll();
        }
    }

    /**
     * Work-queue partition {@code jobPartition} is about to be read from its committed offset again (given to
     * this worker, or rewound after a hand-back): it is not {@link #caughtUp} until the state processor has
     * applied the job events written to it so far and their control records have been read ({@link Handovers}).
     */
    public void handOver(int jobPartition) {
        handovers.request(jobPartition);
        want(jobPartition);
        wake();
    }

    /** The control facts of {@code jobId}, when its partition holds any that still matter. */
    public Optional<JobControl> get(String jobId) {
        for (ControlEntries m : byPartition.values()) {
            JobControl c = m.get(jobId);
            if (c != null) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether partition {@code partition} is followed and read up to where it stood when following began, and
     * its last {@link #handOver} is complete.
     */
    public boolean caughtUp(int partition) {
        return caughtUp.contains(partition) && !handovers.isPending(partition);
    }

    /** Whether the reading thread runs (for readiness). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Entries held now, over all followed partitions. */
    public int size() {
        return byPartition.values().stream().mapToInt(ControlEntries::size).sum();
    }

    private void run() {
        try {
            while (running) {
                try {
                    readOnce();
                } catch (WakeupException e) {
                    // follow() or want() asked for more partitions, or close() for the end
                } catch (RuntimeException e) {
                    LOG.warn("job control reader: {}; reading on", e.toString());
                    idle(1_000);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Reading rounds done so far (each polls the followed partitions once). */
    long rounds() {
        return rounds;
    }

    private void readOnce() {
        rounds++;
        reassignIfAsked();
        if (following.isEmpty()) {
            idle(POLL.toMillis());
            return;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
            apply(r);
        }
        markCaughtUp();
        handovers.advance(consumer, following, System.currentTimeMillis());
        sweepSettled();
    }

    /** Waits up to {@code millis} for {@link #follow} or {@link #close}. */
    private void idle(long millis) {
        synchronized (wanted) {
            try {
                wanted.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void reassignIfAsked() {
        Set<Integer> want = wanted.get();
        if (want.equals(following)) {
            return;
        }
        Set<Integer> fresh = new HashSet<>(want);
        fresh.removeAll(following);
        for (int gone : following) {
            if (!want.contains(gone)) {
                byPartition.remove(gone);
                caughtUp.remove(gone);
                loadedTo.remove(gone);
                keepFrom.remove(gone);
            }
        }
        List<TopicPartition> all = want.stream().map(p -> new TopicPartition(Topics.JOB_CONTROL, p)).toList();
        consumer.assign(all);
        if (!fresh.isEmpty()) {
            List<TopicPartition> load = fresh.stream().map(p -> new TopicPartition(Topics.JOB_CONTROL, p)).toList();
            Map<Integer, Long> consumed = settled.consumedUpTo(fresh);
            for (int p : fresh) {
                byPartition.put(p, new ControlEntries());
                caughtUp.remove(p);
                keepFrom.put(p, consumed.getOrDefault(p, 0L));
            }
            consumer.seekToBeginning(load);
            consumer.endOffsets(load).forEach((tp, end) -> loadedTo.put(tp.partition(), end));
        }
        following = want;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        ControlEntries m = byPartition.get(r.partition());
        if (m == null || r.key() == null) {
            return;
        }
        if (r.value() == null) {
            m.remove(r.key());
            return;
        }
        JobControl c;
        try {
            c = Json.read(r.value(), JobControl.class);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable job control for {}: {}", r.key(), e.getMessage());
            return;
        }
        if (c.settledBelow(jobsTopic, r.partition(), keepFrom.getOrDefault(r.partition(), 0L))) {
            m.remove(r.key());
        } else {
            m.put(r.key(), c);
        }
    }

    private void markCaughtUp() {
        for (Map.Entry<Integer, Long> e : loadedTo.entrySet()) {
            if (!caughtUp.contains(e.getKey())
                    && consumer.position(new TopicPartition(Topics.JOB_CONTROL, e.getKey())) >= e.getValue()) {
                caughtUp.add(e.getKey());
                LOG.info("job control partition {} loaded: {} entries kept", e.getKey(),
                        size(byPartition.get(e.getKey())));
            }
        }
    }

    /** Now and then, drops entries the group has consumed past since they were read. */
    private void sweepSettled() {
        if (!settled.due() || following.isEmpty()) {
            return;
        }
        Map<Integer, Long> consumed = settled.consumedUpTo(following);
        consumed.forEach((p, upTo) -> {
            ControlEntries m = byPartition.get(p);
            if (m != null && caughtUp.contains(p) && upTo > keepFrom.getOrDefault(p, 0L)) {
                keepFrom.put(p, upTo);
                m.removeSettled(jobsTopic, p, upTo);
            }
        });
    }

    private static int size(ControlEntries m) {
        return m == null ? 0 : m.size();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        synchronized (wanted) {
            wanted.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            offsets.close();
        }
    }
}
