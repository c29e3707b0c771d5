package io.photomaker.worker.run;

import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.worker.control.JobControlReader;
import io.photomaker.worker.loop.RecordRunner;
import io.photomaker.worker.ops.WorkerMetrics;
import io.photomaker.worker.stop.StopSwitch;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries of work items from pickup to a durable outcome, each as a {@link JobAttempt} whose
 * stages run on the {@link WorkLanes}: prepare on a CPU thread, generate on the device thread, store and
 * record the outcome on a CPU thread. So while one job holds the device, the next one's inputs are
 * fetched and decoded and the previous one's outputs encoded and uploaded; each job's events still come in
 * order (started, progress, then the outcome after its uploads). The future says whether the delivery may
 * be committed. Each delivery is traced (see {@link JobTrace}) and its log lines carry the job id and tenant.
 */
public final class JobAttemptRunner implements RecordRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptRunner.class);

    /** What every attempt uses. */
    record Parts(JobHandler handler, JobControlReader control, JobOutcomes outcomes, WorkerMetrics metrics,
                 Tracing tracing, Clock clock) {
    }

    private final Parts parts;
    private final WorkLanes lanes;

    public JobAttemptRunner(JobHandler handler, JobProducer producer, JobControlReader control, ObjectStore store,
                            RetryPolicy retry, String workerId, WorkerMetrics metrics, Tracing tracing,
                            WorkLanes lanes, Clock clock) {
        this.parts = new Parts(handler, control, new JobOutcomes(producer, store, retry, workerId, clock), metrics,
                tracing, clock);
        this.lanes = lanes;
    }

    @Override
    public CompletableFuture<Outcome> start(ConsumerRecord<String, byte[]> record, StopSwitch stop) {
        JobMessage job;
        try {
            job = Json.read(record.value(), JobMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable work item at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(Outcome.COMMIT);
        }
        return run(job, record, stop);
    }

    private CompletableFuture<Outcome> run(JobMessage job, ConsumerRecord<String, byte[]> record, StopSwitch stop) {
        JobAttempt attempt = new JobAttempt(parts, job, record.headers(), stop);
        CompletableFuture.runAsync(attempt::prepare, lanes.cpu())
                .thenRunAsync(attempt::generate, lanes.device())
                .thenRunAsync(attempt::finish, lanes.cpu())
                .whenComplete((done, e) -> {
                    if (e != null) {
                        attempt.crashed(e);
                    }
                });
        return attempt.result();
    }
}
