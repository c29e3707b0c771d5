package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void functions_label_names_ranges_and_grouping_are_not_metric_names() {
        assertEquals(Set.of("photomaker_job_run_seconds_bucket"), PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, type) (rate(photomaker_job_run_seconds_bucket{outcome=\"ok\"}[5m])))"));
    }

    @Test
    void both_sides_of_set_operators_and_on_clauses_are_read() {
        assertEquals(Set.of("photomaker_consumer_lag", "photomaker_queue_depth", "photomaker_jobs_running"),
                PromQl.metricNames("(sum(photomaker_consumer_lag) > 0 or sum(photomaker_queue_depth) > 0)\n"
                        + "unless on() sum(photomaker_jobs_running) > 0"));
    }

    @Test
    void numbers_durations_offsets_and_grafana_variables_are_ignored() {
        assertEquals(Set.of("up"), PromQl.metricNames("max(up offset 5m) * 1e3 > $threshold + 0.5"));
    }

    @Test
    void aggregations_written_with_a_trailing_by_clause_are_read() {
        assertEquals(Set.of("photomaker_webhook_deliveries_total"),
                PromQl.metricNames("sum(rate(photomaker_webhook_deliveries_total[5m])) by (outcome)"));
    }

    @Test
    void label_values_that_look_like_metrics_are_not_read() {
        assertEquals(Set.of("photomaker_execution_provider"),
                PromQl.metricNames("photomaker_execution_provider{provider=\"cpu\", job=~\"photomaker_.*\"} == 1"));
    }

    @Test
    void brackets_must_balance() {
        assertTrue(PromQl.balanced("sum(rate(x[5m])) by (le)"));
        assertFalse(PromQl.balanced("sum(rate(x[5m]) by (le)"));
        assertFalse(PromQl.balanced("sum(x{a=\"b\")}"));
    }

    @Test
    void histogram_series_of_known_timers_are_known_but_of_counters_are_not() {
        assertTrue(KnownMetrics.isKnown("photomaker_step_seconds_bucket"));
        assertTrue(KnownMetrics.isKnown("http_server_requests_seconds_count"));
        assertFalse(KnownMetrics.isKnown("photomaker_jobs_submitted_total_bucket"));
        assertFalse(KnownMetrics.isKnown("photomaker_jobs_submitted"));
    }
}
