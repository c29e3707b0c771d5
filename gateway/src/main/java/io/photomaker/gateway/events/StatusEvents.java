package io.photomaker.gateway.events;

import io.photomaker.common.job.JobFailure;
import io.photomaker.common.state.JobRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Derives the client-facing event for a job record, so polling, streams and webhooks say the same thing. */
public final class StatusEvents {
    public static final String QUEUED = "queued";
    public static final String STARTED = "started";
    public static final String PROGRESS = "progress";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";
    public static final String EXPIRED = "expired";

    private StatusEvents() {
    }

    /** The event a record stands for; output links are prefixed with {@code baseUrl} (may be empty). */
    public static StatusEvent of(JobRecord r, String baseUrl) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", r.id());
        data.put("status", r.status().wireName());
        String name = switch (r.status()) {
            case QUEUED -> QUEUED;
            case RUNNING -> r.step() > 0 ? PROGRESS : STARTED;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELED -> CANCELED;
            case EXPIRED -> EXPIRED;
        };
        if (name.equals(STARTED) || name.equals(PROGRESS)) {
            data.put("attempt", r.attempt());
            data.put("step", r.step());
            data.put("total", r.total());
        }
        if (name.equals(SUCCEEDED)) {
            data.put("outputs", outputUrls(r, baseUrl));
            if (r.expiresAt() > 0) {
                data.put("expires_at", r.expiresAt());
            }
        }
        if (r.error() != null && r.status().isTerminal()) {
            data.put("error", error(r.error()));
        }
        return new StatusEvent(name, r.version(), data);
    }

    /** Gateway links to a job's outputs: {@code baseUrl/v1/jobs/{id}/outputs/{n}}. */
    public static List<String> outputUrls(JobRecord r, String baseUrl) {
        List<String> urls = new ArrayList<>();
        for (int n = 0; n < r.outputs().size(); n++) {
            urls.add(baseUrl + "/v1/jobs/" + r.id() + "/outputs/" + n);
        }
        return urls;
    }

    static Map<String, Object> error(JobFailure f) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", f.type());
        e.put("message", f.message() == null ? "" : f.message());
        return e;
    }
}
