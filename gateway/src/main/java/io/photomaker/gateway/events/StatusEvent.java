package io.photomaker.gateway.events;

import io.photomaker.common.json.Json;
import java.util.Map;

/**
 * One client-facing lifecycle event derived from a job record: the model that event streams and
 * webhooks share.
 *
 * @param name queued, started, progress, succeeded, failed, canceled or expired
 * @param version the record version it was derived from (the event stream's event id)
 * @param data the event's JSON object
 */
public record StatusEvent(String name, long version, Map<String, Object> data) {
    public StatusEvent {
        data = Map.copyOf(data);
    }

    /** Whether no later event can follow. */
    public boolean isTerminal() {
        return switch (name) {
            case StatusEvents.SUCCEEDED, StatusEvents.FAILED, StatusEvents.CANCELED, StatusEvents.EXPIRED -> true;
            default -> false;
        };
    }

    /** The event in text/event-stream framing. */
    public String toSse() {
        return "id: " + version + "\nevent: " + name + "\ndata: " + Json.string(new java.util.TreeMap<>(data))
                + "\n\n";
    }
}
