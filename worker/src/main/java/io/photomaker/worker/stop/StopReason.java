package io.photomaker.worker.stop;

/**
 * Why a job stops before its end. A user's cancel ends the job (partial outputs deleted, a canceled
 * event); the other reasons hand the delivery back uncommitted so that a worker runs it again.
 */
public enum StopReason {
    /** The client asked for the job to be canceled. */
    CANCELED_BY_USER(false),
    /** This worker is shutting down: the drain period ended, or the job had not started when it began. */
    DRAIN(true),
    /** The group moved the job's partition to another worker. */
    PARTITION_REVOKED(true);

    private final boolean handsBack;

    StopReason(boolean handsBack) {
        this.handsBack = handsBack;
    }

    /** True when the delivery goes back to Kafka uncommitted instead of ending the job. */
    public boolean handsBack() {
        return handsBack;
    }
}
