package io.photomaker.worker.loop;

import io.photomaker.worker.stop.StopReason;
import io.photomaker.worker.stop.StopSwitch;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Kafka loop, on its own thread. It takes records from the polls (any number per poll) and
 * hands each to the {@link RecordRunner} of its topic, up to {@code capacity} at a time, so that the next
 * job can be prepared while one runs and the last one is stored; it keeps polling throughout, pausing the
 * partitions it cannot serve ({@link PartitionGate}), so long work never exceeds max.poll.interval.ms.
 * A record whose retry time lies ahead is set aside ({@link DelayedRecords}) rather than waited for. Offsets
 * are committed only past records whose work is done ({@link OffsetLedger}); a record handed back is read
 * again after its partition settles. On a revoked partition its work is stopped and handed back; on close
 * the loop stops taking work, gives the work in hand the drain period, then stops it. Lag is reported by
 * {@link LagReporter}.
 */
public final class WorkerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final long REVOKE_WAIT_MS = 60_000;
    private static final long ABANDON_WAIT_MS = 30_000;

    /** A record being worked on. */
    private record Delivery(ConsumerRecord<String, byte[]> record, TopicPartition partition, StopSwitch stop,
                            CompletableFuture<RecordRunner.Outcome> outcome) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Map<String, RecordRunner> runners;
    private final LoopOptions options;
    private final Clock clock;
    private final OffsetLedger ledger = new OffsetLedger();
    private final DelayedRecords delayed;
    private final PartitionGate gate;
    private final LagReporter lag;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Thread loopThread;
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile int working;
    private volatile boolean assigned;
    private volatile boolean stopping;
    private long drainDeadline = Long.MAX_VALUE;

    /** A loop over {@code consumer} (not yet subscribed), running records of each topic with its runner. */
    public WorkerLoop(Consumer<String, byte[]> consumer, Map<String, RecordRunner> runners, LoopOptions options) {
        this.consumer = consumer;
        this.runners = Map.copyOf(runners);
        this.options = options;
        this.clock = options.clock();
        this.delayed = new DelayedRecords(options.delayedPerPartition());
        this.gate = new PartitionGate(options.readiness(), clock);
        this.lag = new LagReporter(consumer, options.lagTopic(), clock, options.lagInterval(), options.lagSink());
        this.loopThread = new Thread(this::run, "worker-loop");
    }

    public WorkerLoop start() {
        loopThread.start();
        return this;
    }

    /** True while the loop runs and is not draining (readiness). */
    public boolean isReady() {
        return loopThread.isAlive() && !stopping && !drainRequested.get();
    }

    /** True once the group has given this worker at least one partition. */
    public boolean hasAssignment() {
        return assigned;
    }

    /** True while any record is being worked on. */
    public boolean isBusy() {
        return working > 0;
    }

    /** True until the loop has ended (after a drain, or a fatal error). */
    public boolean isRunning() {
        return !stopped.isDone();
    }

    private void run() {
        try {
            subscribe();
            while (!finished()) {
                if (drainRequested.get() && !stopping) {
                    beginDrain();
                }
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
            abandonWork();
            consumer.close(Duration.ofSeconds(10));
            stopped.complete(null);
            LOG.info("worker loop stopped");
        }
    }

    void subscribe() {
        consumer.subscribe(runners.keySet(), new Rebalance());
    }

    /** True once a drain has begun and no work is left. */
    boolean finished() {
        return stopping && deliveries.isEmpty();
    }

    /** One round: open or pause partitions, poll, start work, settle finished work, commit, report lag. */
    void pollOnce() {
        gate.apply(consumer, !stopping, hasRoom(), delayed::hasRoom);
        take(consumer.poll(POLL));
        if (!stopping) {
            delayed.takeDue(clock.millis(), options.capacity() - deliveries.size()).forEach(this::begin);
        }
        settle();
        commit();
        rewindSettledPartitions();
        if (stopping && clock.millis() > drainDeadline) {
            deliveries.forEach(d -> d.stop().stop(StopReason.DRAIN));
        }
        working = deliveries.size();
        lag.maybeReport();
    }

    private boolean hasRoom() {
        return deliveries.size() < options.capacity();
    }

    /** Starts, sets aside or turns back (seeking to it, to be read again) each record of a poll. */
    private void take(Iterable<ConsumerRecord<String, byte[]>> records) {
        Set<TopicPartition> turnedBack = new HashSet<>();
        Set<TopicPartition> mine = consumer.assignment();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (turnedBack.contains(tp) || !mine.contains(tp)) {
                continue;
            }
            long notBefore = DelayedRecords.notBefore(r);
            boolean later = notBefore > clock.millis();
            if (!gate.isOpen(tp, !stopping, later || hasRoom(), delayed::hasRoom)) {
                consumer.seek(tp, r.offset());
                turnedBack.add(tp);
                continue;
            }
            ledger.taken(tp, r.offset());
            if (later) {
                delayed.hold(r, notBefore);
            } else {
                begin(r);
            }
        }
    }

    private void begin(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        StopSwitch stop = new StopSwitch();
        CompletableFuture<RecordRunner.Outcome> outcome;
        RecordRunner runner = runners.get(r.topic());
        try {
            outcome = runner.start(r, stop);
        } catch (RuntimeException e) {
            LOG.error("cannot start work on {}@{}", tp, r.offset(), e);
            outcome = CompletableFuture.completedFuture(RecordRunner.Outcome.HAND_BACK);
        }
        deliveries.add(new Delivery(r, tp, stop, outcome));
        working = deliveries.size();
    }

    /** Books finished work: done records may be committed, handed-back ones make their partition rewind. */
    private void settle() {
        for (Iterator<Delivery> it = deliveries.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (!d.outcome().isDone()) {
                continue;
            }
            it.remove();
            if (outcomeOf(d) == RecordRunner.Outcome.COMMIT) {
                ledger.done(d.partition(), d.record().offset());
            } else if (!stopping && consumer.assignment().contains(d.partition())) {
                gate.rewind(d.partition());
            }
        }
    }

    private static RecordRunner.Outcome outcomeOf(Delivery d) {
        return d.outcome().exceptionally(e -> {
            LOG.error("work on {}@{} crashed", d.partition(), d.record().offset(), e);
            return RecordRunner.Outcome.HAND_BACK;
        }).join();
    }

    /**
     * A partition with a handed-back record is read again from its oldest unfinished record once none of
     * its work is in hand; records after it that did finish are redelivered too and find their jobs done.
     */
    private void rewindSettledPartitions() {
        for (TopicPartition tp : gate.rewinding()) {
            if (deliveries.stream().anyMatch(d -> d.partition().equals(tp))) {
                continue;
            }
            OptionalLong first = ledger.firstOpen(tp);
            if (first.isPresent()) {
                consumer.seek(tp, first.getAsLong());
            }
            List<TopicPartition> one = List.of(tp);
            ledger.forget(one);
            delayed.forget(one);
            gate.rewound(tp);
            gate.coolDown(tp, clock.millis() + options.handBackPause().toMillis());
            options.readiness().reread(one);
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> positions = ledger.advance();
        positions.keySet().retainAll(consumer.assignment());
        if (positions.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(positions, COMMIT_TIMEOUT);
        } catch (RetriableException | RebalanceInProgressException | CommitFailedException e) {
            // The outcomes are already durable; a redelivery finds the jobs finished and skips them.
            LOG.warn("commit of {} failed ({}); a redelivery will be skipped", positions, e.toString());
        }
    }

    /** Stops taking work; work that has not begun is handed back now, the rest gets the drain period. */
    void beginDrain() {
        stopping = true;
        drainDeadline = clock.millis() + options.drain().toMillis();
        deliveries.forEach(d -> d.stop().stopIfNotBegun(StopReason.DRAIN));
        LOG.info("draining: up to {} s for the work in hand", options.drain().toSeconds());
    }

    /** Stops whatever is still in hand (loop ending) and waits a while for it to hand back. */
    private void abandonWork() {
        deliveries.forEach(d -> d.stop().stop(StopReason.DRAIN));
        awaitAll(deliveries, ABANDON_WAIT_MS);
        deliveries.clear();
        working = 0;
    }

    private static void awaitAll(List<Delivery> work, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Delivery d : work) {
            try {
                d.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception ignored) {
                // left uncommitted: another worker will get it
            }
        }
    }

    /** Stops taking work, gives the work in hand up to the drain period, then leaves the group. */
    @Override
    public void close() {
        drainRequested.set(true);
        if (!loopThread.isAlive()) {
            return;
        }
        try {
            stopped.get(options.drain().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            consumer.wakeup();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Delivery> affected = deliveries.stream().filter(d -> partitions.contains(d.partition())).toList();
            if (!affected.isEmpty()) {
                LOG.info("partitions {} revoked with {} records in hand: stopping their work", partitions,
                        affected.size());
            }
            affected.forEach(d -> d.stop().stop(StopReason.PARTITION_REVOKED));
            awaitAll(affected, REVOKE_WAIT_MS);
            settle();
            commit();
            deliveries.removeAll(affected);
            ledger.forget(partitions);
            delayed.forget(partitions);
            gate.forget(partitions);
            working = deliveries.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = assigned || !partitions.isEmpty();
            options.readiness().reread(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
