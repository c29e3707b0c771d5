package io.photomaker.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kinds of facts appended to {@code photomaker.job-events}. */
public enum EventType {
    SUBMITTED,
    STARTED,
    PROGRESS,
    SUCCEEDED,
    FAILED,
    RETRY_SCHEDULED,
    CANCEL_REQUESTED,
    CANCELED,
    EXPIRED,
    DATA_DELETED,
    ARCHIVED,
    /** The work item was put on the queue at a known place (partition and offset). */
    ENQUEUED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
