package io.photomaker.gateway.retention;

import java.time.Duration;

/**
 * How long a job's data stays (read and checked in {@code LifecycleConfig}).
 *
 * @param inputRetention how long ID photos stay after a job ends (PM_INPUT_RETENTION_SECONDS)
 * @param outputTtl how long outputs of a succeeded job stay (PM_OUTPUT_TTL_SECONDS)
 * @param jobRetention how long a finished job's record stays before it is archived (PM_JOB_RETENTION_SECONDS)
 */
public record RetentionPeriods(Duration inputRetention, Duration outputTtl, Duration jobRetention) {
}
