package io.photomaker.gateway.state;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.retention.RetentionPlanner;
import io.photomaker.gateway.retention.RetentionWorker;
import io.photomaker.gateway.timers.Schedule.Entry;
import io.photomaker.gateway.timers.Schedule.Kind;
import io.photomaker.gateway.timers.Schedule;
import io.photomaker.gateway.webhook.WebhookPlanner;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of job verdicts. For each event (keyed by job id, in partition order) it applies
 * the state machine to the stored record, stores and announces changed records ({@link VerdictOutputs}),
 * plans timers (deadline expiry, retention) and webhook deliveries. A wall-clock punctuator fires due
 * timers; because the task owning a job's partition owns its timers, exactly one replica acts per job.
 */
final class LifecycleProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);
    private static final int DUE_PER_TICK = 200;
    private static final int MAX_IN_FLIGHT = 64;
    private static final long RETRY_DELAY_MS = 30_000;
    private static final String EXPIRER = "photomaker-state";
    private static final java.time.Duration WATERMARK_INTERVAL = java.time.Duration.ofMillis(250);

    private final LifecycleConfig cfg;
    private final ObjectStore objects;
    private final StateCounters counters;
    private final RetentionPlanner retention;
    private final WebhookPlanner webhooks;
    private final RecordArrivals arrivals;
    private final QueueGauges gauges;
    private final OwnedStores owned;
    private RetentionWorker worker;
    private OwnedStores.Partition ownedStores;
    private ProcessorContext<String, byte[]> ctx;
    private KeyValueStore<String, byte[]> records;
    private VerdictOutputs outputs;
    private Schedule schedule;

    LifecycleProcessor(LifecycleConfig cfg, ObjectStore objects, StateCounters counters, RecordArrivals arrivals,
                       QueueGauges gauges, OwnedStores owned) {
        this.cfg = cfg;
        this.objects = objects;
        this.counters = counters;
        this.arrivals = arrivals;
        this.gauges = gauges;
        this.owned = owned;
        this.retention = new RetentionPlanner(cfg.retention());
        this.webhooks = new WebhookPlanner(cfg.publicUrl());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        ctx = context;
        records = context.getStateStore(StateTopology.RECORDS);
        outputs = new VerdictOutputs(context, arrivals, gauges);
        schedule = new Schedule(context.getStateStore(StateTopology.SCHEDULE));
        worker = objects == null ? null : new RetentionWorker(objects, MAX_IN_FLIGHT);
        context.schedule(cfg.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
        // Gateways count a job they accepted as theirs until this watermark passes its event: keep it prompt.
        context.schedule(WATERMARK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, outputs::publishWatermark);
        ownedStores = new OwnedStores.Partition(records, context.getStateStore(StateTopology.INDEX));
        owned.opened(context.taskId().partition(), ownedStores);
    }

    @Override
    public void process(Record<String, byte[]> in) {
        JobEvent event;
        try {
            event = in.value() == null ? null : Json.read(in.value(), JobEvent.class);
        } catch (RuntimeException e) {
            event = null;
        }
        if (event == null || event.jobId() == null || event.type() == null) {
            counters.onUnreadable();
            LOG.warn("skipping an unreadable job event with key {}", in.key());
        } else {
            apply(event, in.timestamp());
        }
        ctx.recordMetadata().ifPresent(md -> outputs.applied(md.offset()));
    }

    private void apply(JobEvent event, long timestamp) {
        long now = ctx.currentSystemTimeMs();
        JobRecord before = load(event.jobId());
        JobStateMachine.Decision d = JobStateMachine.apply(before, event);
        if (!d.accepted()) {
            counters.onRejected();
            LOG.debug("rejected {} for {}: {}", event.type().wireName(), event.jobId(), d.reason());
            if (worker != null) {
                retention.afterRejection(before, event, now).forEach(this::add);
            }
            return;
        }
        if (!d.changed(before)) {
            counters.onDuplicate();
            return;
        }
        counters.onAccepted();
        JobRecord after = retention.withExpiry(d.record());
        outputs.write(before, after, timestamp);
        planTimers(before, after, now);
        webhooks.plan(before, after).ifPresent(w ->
                ctx.forward(new Record<>(w.id(), Json.bytes(w), timestamp), StateTopology.WEBHOOK_SINK));
    }

    private void planTimers(JobRecord before, JobRecord after, long now) {
        boolean enteredQueue = after.status() == JobStatus.QUEUED
                && (before == null || before.status() != JobStatus.QUEUED);
        if (enteredQueue && after.deadlineAt() > 0) {
            schedule.add(after.deadlineAt(), Kind.EXPIRE, after.id());
        }
        if (worker != null) {
            retention.afterChange(before, after, now).forEach(this::add);
        }
    }

    private void add(Entry e) {
        schedule.add(e.due(), e.kind(), e.jobId());
    }

    private void tick(long now) {
        if (worker != null) {
            worker.drainFinished().forEach(f -> finish(f, now));
        }
        for (Entry e : schedule.due(now, DUE_PER_TICK)) {
            if (e.kind() == Kind.EXPIRE) {
                schedule.remove(e);
                expire(e.jobId(), now);
            } else if (worker == null) {
                schedule.remove(e);
            } else if (e.kind() == Kind.ARCHIVE) {
                JobRecord rec = load(e.jobId());
                if (rec == null) {
                    schedule.remove(e);
                } else {
                    worker.start(e, rec);
                }
            } else {
                // The record, when still there, names the tenant for the worker's log lines.
                worker.start(e, load(e.jobId()));
            }
        }
    }

    private void expire(String jobId, long now) {
        JobRecord rec = load(jobId);
        if (rec == null || rec.status() != JobStatus.QUEUED || rec.deadlineAt() <= 0) {
            return;
        }
        if (now < rec.deadlineAt()) {
            schedule.add(rec.deadlineAt(), Kind.EXPIRE, jobId);
            return;
        }
        apply(JobEvent.expired(jobId, rec.attempt(), EXPIRER), now);
    }

    private void finish(RetentionWorker.Finished f, long now) {
        Entry e = f.entry();
        schedule.remove(e);
        if (!f.ok()) {
            schedule.add(now + RETRY_DELAY_MS, e.kind(), e.jobId());
            return;
        }
        if (e.kind() != Kind.ARCHIVE) {
            return;
        }
        JobRecord current = load(e.jobId());
        if (current == null) {
            return;
        }
        if (current.version() != f.archivedVersion()) {
            // The record changed while it was being archived (e.g. its data was deleted): archive again.
            schedule.add(now, Kind.ARCHIVE, e.jobId());
            return;
        }
        outputs.remove(current, now);
    }

    private JobRecord load(String jobId) {
        byte[] b = records.get(jobId);
        return b == null ? null : Json.read(b, JobRecord.class);
    }

    @Override
    public void close() {
        if (ownedStores != null) {
            owned.closed(ctx.taskId().partition(), ownedStores);
        }
        if (outputs != null) {
            outputs.close();
        }
        if (worker != null) {
            worker.close();
        }
    }
}
