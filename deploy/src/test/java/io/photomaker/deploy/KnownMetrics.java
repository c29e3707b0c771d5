package io.photomaker.deploy;

import java.util.List;
import java.util.Set;

/**
 * The metric names the services expose (the contract with gateway and worker). Histograms and timers
 * ("..._seconds") also appear with Prometheus' _bucket, _count, _sum and _max series.
 */
final class KnownMetrics {

    static final Set<String> NAMES = Set.of(
            "photomaker_jobs_submitted_total",
            "photomaker_jobs_completed_total",
            "photomaker_job_wait_seconds",
            "photomaker_job_run_seconds",
            "photomaker_step_seconds",
            "photomaker_model_load_seconds",
            "photomaker_execution_provider",
            "photomaker_job_retries_total",
            "photomaker_dlq_messages_total",
            "photomaker_webhook_deliveries_total",
            "photomaker_consumer_lag",
            "photomaker_jobs_running",
            "photomaker_queue_depth",
            "http_server_requests_seconds");

    private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    private KnownMetrics() {
    }

    static boolean isKnown(String series) {
        if (NAMES.contains(series)) {
            return true;
        }
        for (String suffix : SERIES_SUFFIXES) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if (base.endsWith("_seconds") && NAMES.contains(base)) {
                    return true;
                }
            }
        }
        return false;
    }
}
