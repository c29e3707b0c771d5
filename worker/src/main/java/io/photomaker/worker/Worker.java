package io.photomaker.worker;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.worker.control.ControlReadiness;
import io.photomaker.worker.control.JobControlReader;
import io.photomaker.worker.loop.LoopOptions;
import io.photomaker.worker.loop.PartitionReadiness;
import io.photomaker.worker.loop.RecordRunner;
import io.photomaker.worker.loop.WorkerLoop;
import io.photomaker.worker.ops.WorkerMetrics;
import io.photomaker.worker.run.IdentityRunner;
import io.photomaker.worker.run.IdentityWork;
import io.photomaker.worker.run.JobAttemptRunner;
import io.photomaker.worker.run.JobHandler;
import io.photomaker.worker.run.PhotoMakerJobHandler;
import io.photomaker.worker.run.RetryPolicy;
import io.photomaker.worker.run.WorkLanes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process's parts, started in order and closed in reverse: object store, producer, the
 * job-control reader (attempts, cancellations and ended jobs of this worker's partitions only; the loop starts
 * no job of a partition before its control records are loaded), the job handler (the loaded pipeline), the work lanes (device
 * thread and CPU pool) and the Kafka loop with a runner per topic (jobs; identities when the handler has
 * the pipeline).
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final WorkerLoop loop;
    private JobControlReader control;
    private final ObjectStore store;

    private final WorkerMetrics metrics;
    /** CPU threads beside the device thread: one prepares the next job while one stores the last. */
    private static final int CPU_THREADS = 2;

    private Worker(WorkerConfig cfg, KafkaSettings kafka, S3Settings s3, WorkerMetrics metrics, Tracing tracing,
                   Function<ObjectStore, ? extends JobHandler> handlerFactory) {
        this.metrics = metrics;
        try {
            store = keep(new ObjectStore(s3));
            JobProducer producer = keep(new JobProducer(kafka, cfg.workerId() + "-events"));
            JobHandler handler = handlerFactory.apply(store);
            if (handler instanceof AutoCloseable c) {
                keep(c);
            }
            RetryPolicy retry = new RetryPolicy(cfg.maxAttempts(), cfg.retryBase(), cfg.retryCap());
            String model = handler instanceof PhotoMakerJobHandler p ? p.pipeline().manifest().servedModel()
                    : ModelNames.V1;
            String jobsTopic = Topics.jobsFor(model);
            control = keep(new JobControlReader(kafka, cfg.workerId() + "-control", Topics.workerGroupFor(model),
                    jobsTopic)).start();
            PartitionReadiness readiness = new ControlReadiness(control, jobsTopic);
            WorkLanes lanes = keep(new WorkLanes(CPU_THREADS));
            Map<String, RecordRunner> runners = new HashMap<>();
            runners.put(jobsTopic, new JobAttemptRunner(handler, producer, control, store, retry, cfg.workerId(),
                    metrics, tracing, lanes, Clock.systemUTC()));
            if (handler instanceof PhotoMakerJobHandler p) {
                runners.put(Topics.identityRequestsFor(model), new IdentityRunner(
                        new IdentityWork(p.pipeline(), store, producer, cfg.maxAttempts()), lanes));
            }
            var consumer = new KafkaConsumer<String, byte[]>(
                    KafkaClients.groupConsumer(kafka, Topics.workerGroupFor(model), cfg.workerId()));
            LoopOptions options = LoopOptions.defaults(cfg.drain(), jobsTopic)
                    .withCapacity(cfg.loopCapacity()).withLagSink(metrics::lag).withReadiness(readiness);
            loop = keep(new WorkerLoop(consumer, runners, options));
            LOG.info("worker {} serves {} from {}", cfg.workerId(), model, jobsTopic);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Builds and starts a worker whose handler is made by {@code handlerFactory} from the object store. */
    public static Worker start(WorkerConfig cfg, KafkaSettings kafka, S3Settings s3,
                               Function<ObjectStore, ? extends JobHandler> handlerFactory) {
        return start(cfg, kafka, s3, new WorkerMetrics(), handlerFactory);
    }

    /** As above, recording into {@code metrics}. */
    public static Worker start(WorkerConfig cfg, KafkaSettings kafka, S3Settings s3, WorkerMetrics metrics,
                               Function<ObjectStore, ? extends JobHandler> handlerFactory) {
        return start(cfg, kafka, s3, metrics, Tracing.off(), handlerFactory);
    }

    /** As above, tracing each job with {@code tracing} (which the caller closes). */
    public static Worker start(WorkerConfig cfg, KafkaSettings kafka, S3Settings s3, WorkerMetrics metrics,
                               Tracing tracing, Function<ObjectStore, ? extends JobHandler> handlerFactory) {
        Worker w = new Worker(cfg, kafka, s3, metrics, tracing, handlerFactory);
        w.loop.start();
        LOG.info("worker {} consuming", cfg.workerId());
        return w;
    }

    private <T extends AutoCloseable> T keep(T part) {
        parts.add(part);
        return part;
    }

    public boolean isReady() {
        return loop != null && loop.isReady() && control.isAlive();
    }

    public WorkerLoop loop() {
        return loop;
    }

    public ObjectStore store() {
        return store;
    }

    /** Drains (see {@link WorkerLoop#close()}) and releases everything. */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }
}
