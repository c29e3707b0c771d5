package io.photomaker.worker.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's Prometheus metrics: job wait and run time, per-step time, outcomes by type, retries,
 * dead letters, model load time, the execution provider in use, jobs running and consumer lag.
 */
public final class WorkerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer wait;
    private final Timer run;
    private final Timer step;
    private final Counter retries;
    private final Counter deadLetters;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();

    public WorkerMetrics() {
        wait = Timer.builder("photomaker_job_wait").description("time from submission to start")
                .publishPercentileHistogram().register(registry);
        run = Timer.builder("photomaker_job_run").description("time from start to outcome")
                .publishPercentileHistogram().register(registry);
        step = Timer.builder("photomaker_step").description("one denoising step")
                .publishPercentileHistogram().register(registry);
        retries = Counter.builder("photomaker_job_retries").register(registry);
        deadLetters = Counter.builder("photomaker_dlq_messages").register(registry);
        Gauge.builder("photomaker_jobs_running", running, AtomicInteger::get).register(registry);
        Gauge.builder("photomaker_consumer_lag", lag, AtomicLong::get).register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void modelLoaded(Duration took, String provider) {
        double seconds = took.toMillis() / 1000.0;
        Gauge.builder("photomaker_model_load_seconds", () -> seconds).register(registry);
        Gauge.builder("photomaker_execution_provider", () -> 1).tag("provider", provider).register(registry);
    }

    public void started(long submittedAtMillis) {
        running.incrementAndGet();
        wait.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - submittedAtMillis)));
    }

    public void step(long nanos) {
        step.record(Duration.ofNanos(nanos));
    }

    /** Records how an attempt ended: outcome succeeded|failed|canceled|retry|dead_letter|handed_back. */
    public void finished(Duration took, String outcome, String type) {
        running.updateAndGet(v -> Math.max(0, v - 1));
        run.record(took);
        Counter.builder("photomaker_jobs_completed").tag("outcome", outcome).tag("type", type == null ? "" : type)
                .register(registry).increment();
        if ("retry".equals(outcome)) {
            retries.increment();
        } else if ("dead_letter".equals(outcome)) {
            deadLetters.increment();
        }
    }

    public void lag(long records) {
        lag.set(records);
    }

    public String scrape() {
        return registry.scrape();
    }
}
