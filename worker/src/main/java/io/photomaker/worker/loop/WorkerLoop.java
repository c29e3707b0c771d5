package io.photomaker.worker.loop;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.worker.run.IdentityWork;
import io.photomaker.worker.run.JobAttemptRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Kafka loop, on its own thread: one job at a time per process (one GPU). While a job
 * runs, every assigned partition is paused and the loop keeps polling, so a long job never exceeds
 * max.poll.interval.ms. Offsets are committed only after the job's effects are durable. On a revoked
 * partition or at the end of the drain period the job in hand is stopped and handed back uncommitted.
 * Every few seconds it reports the lag of its partitions of its work queue (end offset minus committed offset,
 * so a running job counts, as it does for the autoscaler). A loop serves one model: it reads that model's work
 * queue and identity queue in that model's worker group ({@link Topics#jobsFor}, {@code photomaker.jobs} for
 * photomaker-v1).
 */
public final class WorkerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long LAG_INTERVAL_MS = 5_000;
    private static final Duration LAG_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final JobAttemptRunner runner;
    private final IdentityWork identityWork;
    private final Duration drain;
    private final LongConsumer lagSink;
    private final String jobsTopic;
    private final String identityTopic;
    private final ExecutorService jobThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "job-runner");
        t.setDaemon(true);
        return t;
    });
    private final Thread loopThread;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile InFlight inFlight;
    private volatile boolean assigned;
    private long drainDeadline = Long.MAX_VALUE;
    private long resumeAfter;
    private long nextLagAt;

    /** The delivery being worked on. */
    private record InFlight(ConsumerRecord<String, byte[]> record, CompletableFuture<JobAttemptRunner.Outcome> done,
                            AtomicBoolean handBack) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /** {@code identityWork} may be null when this worker computes no identities. */
    public WorkerLoop(KafkaSettings kafka, String workerId, JobAttemptRunner runner, IdentityWork identityWork,
                      Duration drain) {
        this(kafka, workerId, runner, identityWork, drain, lag -> { });
    }

    /** As above, telling {@code lagSink} the lag of this worker's job partitions every few seconds. */
    public WorkerLoop(KafkaSettings kafka, String workerId, JobAttemptRunner runner, IdentityWork identityWork,
                      Duration drain, LongConsumer lagSink) {
        this(kafka, workerId, runner, identityWork, drain, lagSink, ModelNames.V1);
    }

    /** As above, serving {@code model} ({@code photomaker-v1}, {@code photomaker-v2}). */
    public WorkerLoop(KafkaSettings kafka, String workerId, JobAttemptRunner runner, IdentityWork identityWork,
                      Duration drain, LongConsumer lagSink, String model) {
        this.lagSink = lagSink;
        this.jobsTopic = Topics.jobsFor(model);
        this.identityTopic = Topics.identityRequestsFor(model);
        this.consumer = new KafkaConsumer<>(KafkaClients.groupConsumer(kafka, Topics.workerGroupFor(model), workerId));
        this.runner = runner;
        this.identityWork = identityWork;
        this.drain = drain;
        this.loopThread = new Thread(this::run, "worker-loop");
    }

    public WorkerLoop start() {
        loopThread.start();
        return this;
    }

    /** True while the loop runs and is not draining (readiness). */
    public boolean isReady() {
        return loopThread.isAlive() && !stopping.get();
    }

    /** True once the group has given this worker at least one partition. */
    public boolean hasAssignment() {
        return assigned;
    }

    public boolean isBusy() {
        return inFlight != null;
    }

    private void run() {
        try {
            consumer.subscribe(identityWork == null ? List.of(jobsTopic)
                    : List.of(jobsTopic, identityTopic), new Rebalance());
            while (!stopping.get() || inFlight != null) {
                try {
                    pollOnce();
                } catch (RetriableException | RebalanceInProgressException | CommitFailedException e) {
                    // The group is moving or the broker is briefly away: uncommitted work is redelivered.
                    LOG.warn("transient Kafka error, continuing: {}", e.toString());
                }
            }
        } catch (WakeupException e) {
            LOG.debug("worker loop woken for shutdown");
        } catch (KafkaException e) {
            LOG.error("fatal Kafka error, worker loop stops: {}", e.toString(), e);
        } finally {
            abandonInFlight();
            consumer.close(Duration.ofSeconds(10));
            jobThread.shutdownNow();
            stopped.complete(null);
            LOG.info("worker loop stopped");
        }
    }

    private void pollOnce() {
        ConsumerRecord<String, byte[]> next = null;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
            next = r;
        }
        if (next != null && stopping.get()) {
            consumer.seek(new TopicPartition(next.topic(), next.partition()), next.offset());
        } else if (next != null) {
            begin(next);
        }
        finishIfDone();
        if (inFlight == null && resumeAfter > 0 && System.currentTimeMillis() >= resumeAfter) {
            resumeAfter = 0;
            consumer.resume(consumer.assignment());
        }
        if (stopping.get() && inFlight != null && System.currentTimeMillis() > drainDeadline) {
            inFlight.handBack().set(true);
        }
        reportLag();
    }

    private void reportLag() {
        long now = System.currentTimeMillis();
        if (now < nextLagAt) {
            return;
        }
        nextLagAt = now + LAG_INTERVAL_MS;
        Set<TopicPartition> mine = consumer.assignment().stream()
                .filter(tp -> tp.topic().equals(jobsTopic)).collect(Collectors.toSet());
        if (mine.isEmpty()) {
            lagSink.accept(0);
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(mine, LAG_QUERY_TIMEOUT);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(mine, LAG_QUERY_TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(mine, LAG_QUERY_TIMEOUT);
            long lag = 0;
            for (TopicPartition tp : mine) {
                OffsetAndMetadata c = committed.get(tp);
                long from = Math.max(c == null ? 0 : c.offset(), starts.getOrDefault(tp, 0L));
                lag += Math.max(0, ends.getOrDefault(tp, from) - from);
            }
            lagSink.accept(lag);
        } catch (RetriableException | RebalanceInProgressException e) {
            // The gauge keeps its last value; the next round asks again.
            LOG.debug("consumer lag not measured: {}", e.toString());
        }
    }

    /** True until the loop has ended (after a drain, or a fatal error). */
    public boolean isRunning() {
        return !stopped.isDone();
    }

    private void begin(ConsumerRecord<String, byte[]> r) {
        consumer.pause(consumer.assignment());
        if (r.topic().equals(identityTopic)) {
            beginIdentity(r);
            return;
        }
        JobMessage job;
        try {
            job = Json.read(r.value(), JobMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable work item at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            commit(r);
            consumer.resume(consumer.assignment());
            return;
        }
        AtomicBoolean handBack = new AtomicBoolean();
        long notBefore = notBefore(r);
        CompletableFuture<JobAttemptRunner.Outcome> done = CompletableFuture.supplyAsync(() -> {
            waitUntil(notBefore, handBack);
            return handBack.get() ? JobAttemptRunner.Outcome.HAND_BACK : runner.run(job, r.headers(), handBack::get);
        }, jobThread);
        inFlight = new InFlight(r, done, handBack);
    }

    private void beginIdentity(ConsumerRecord<String, byte[]> r) {
        IdentityRecord request;
        try {
            request = Json.read(r.value(), IdentityRecord.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable identity request at offset {}: {}", r.offset(), e.getMessage());
            commit(r);
            consumer.resume(consumer.assignment());
            return;
        }
        AtomicBoolean handBack = new AtomicBoolean();
        CompletableFuture<JobAttemptRunner.Outcome> done = CompletableFuture.supplyAsync(() -> identityWork.run(request)
                ? JobAttemptRunner.Outcome.COMMIT : JobAttemptRunner.Outcome.HAND_BACK, jobThread);
        inFlight = new InFlight(r, done, handBack);
    }

    private void finishIfDone() {
        InFlight f = inFlight;
        if (f == null || !f.done().isDone()) {
            return;
        }
        inFlight = null;
        JobAttemptRunner.Outcome outcome = f.done().exceptionally(e -> {
            LOG.error("job runner crashed", e);
            return JobAttemptRunner.Outcome.HAND_BACK;
        }).join();
        boolean stillOwned = consumer.assignment().contains(f.partition());
        if (outcome == JobAttemptRunner.Outcome.COMMIT && stillOwned) {
            commit(f.record());
        } else if (stillOwned && !stopping.get()) {
            // Not committed: rewind, and give the outage a moment before this worker tries it again.
            consumer.seek(f.partition(), f.record().offset());
            resumeAfter = System.currentTimeMillis() + 1000;
            return;
        }
        if (!stopping.get()) {
            consumer.resume(consumer.assignment());
        }
    }

    private void commit(ConsumerRecord<String, byte[]> r) {
        try {
            consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1)), Duration.ofSeconds(30));
        } catch (RetriableException | RebalanceInProgressException | CommitFailedException e) {
            // The outcome is already durable; a redelivery finds the job finished and skips it.
            LOG.warn("commit of {}-{}@{} failed ({}); a redelivery will be skipped", r.topic(), r.partition(),
                    r.offset(), e.toString());
        }
    }

    private void abandonInFlight() {
        InFlight f = inFlight;
        if (f != null) {
            f.handBack().set(true);
            try {
                f.done().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // left uncommitted: another worker will get it
            }
            inFlight = null;
        }
    }

    private static long notBefore(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(JobAttemptRunner.NOT_BEFORE_HEADER);
        if (h == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void waitUntil(long epochMillis, AtomicBoolean abort) {
        while (!abort.get() && System.currentTimeMillis() < epochMillis) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, epochMillis - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops taking work, gives the job in hand up to the drain period, then leaves the group. */
    @Override
    public void close() {
        if (stopping.compareAndSet(false, true)) {
            drainDeadline = System.currentTimeMillis() + drain.toMillis();
            LOG.info("draining: up to {} s for the job in hand", drain.toSeconds());
        }
        if (!loopThread.isAlive()) {
            return;
        }
        try {
            stopped.get(drain.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            consumer.wakeup();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            InFlight f = inFlight;
            if (f != null && partitions.contains(f.partition())) {
                LOG.info("partition {} revoked while job {} runs: handing it back", f.partition(), f.record().key());
                f.handBack().set(true);
                try {
                    if (f.done().get(60, TimeUnit.SECONDS) == JobAttemptRunner.Outcome.COMMIT) {
                        commit(f.record());
                    }
                } catch (Exception ignored) {
                    // uncommitted: the next owner runs it again
                }
                inFlight = null;
                // The partitions this worker keeps were paused for that job: let the loop resume them.
                resumeAfter = System.currentTimeMillis();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = assigned || !partitions.isEmpty();
            if (inFlight != null || stopping.get()) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
