package io.photomaker.gateway.webhook;

import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.events.StatusEvent;
import io.photomaker.gateway.events.StatusEvents;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which verdict changes become webhook deliveries, honouring each job's {@code webhook_events}
 * filter (started, progress, completed) and throttling progress to at most one per 500 ms of event
 * time per job. Runs inside the state processor, so exactly one replica plans each job's webhooks.
 */
public final class WebhookPlanner {
    /** Shortest gap between two progress deliveries of one job (at most 2 per second). */
    public static final long PROGRESS_GAP_MS = 500;

    private final String publicUrl;
    private final Map<String, Long> lastProgress = new HashMap<>();

    public WebhookPlanner(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** The delivery the change from {@code before} to {@code after} calls for, if any. */
    public Optional<WebhookDelivery> plan(JobRecord before, JobRecord after) {
        JobRequest req = after.request();
        if (after.status().isTerminal()) {
            lastProgress.remove(after.id());
        }
        if (req == null || req.webhook() == null || req.webhook().isBlank()) {
            return Optional.empty();
        }
        String category = category(before, after);
        List<String> wanted = req.webhookEvents() == null || req.webhookEvents().isEmpty()
                ? JobRequest.WEBHOOK_EVENTS_DEFAULT : req.webhookEvents();
        if (category == null || !wanted.contains(category) || throttled(category, after)) {
            return Optional.empty();
        }
        StatusEvent event = StatusEvents.of(after, publicUrl);
        String type = "job." + event.name();
        return Optional.of(new WebhookDelivery(WebhookDelivery.idFor(after.id(), after.version()), after.id(),
                after.tenant(), req.webhook(), type, payload(type, after), after.updatedAt(), after.updatedAt(), 1,
                false, List.of()));
    }

    private static String category(JobRecord before, JobRecord after) {
        if (after.status().isTerminal()) {
            return before == null || !before.status().isTerminal() ? "completed" : null;
        }
        if (after.status() != JobStatus.RUNNING) {
            return null;
        }
        if (before == null || before.status() != JobStatus.RUNNING || before.attempt() != after.attempt()) {
            return "started";
        }
        return after.step() > before.step() ? "progress" : null;
    }

    private boolean throttled(String category, JobRecord after) {
        if (!category.equals("progress")) {
            return false;
        }
        Long last = lastProgress.get(after.id());
        if (last != null && after.updatedAt() - last < PROGRESS_GAP_MS) {
            return true;
        }
        lastProgress.put(after.id(), after.updatedAt());
        return false;
    }

    /** The thin JSON body: type, timestamp and the job's id, status, progress, output links and error. */
    String payload(String type, JobRecord r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("status", r.status().wireName());
        data.put("progress", Map.of("step", r.step(), "total", r.total()));
        data.put("outputs", r.status() == JobStatus.SUCCEEDED ? StatusEvents.outputUrls(r, publicUrl) : List.of());
        if (r.error() != null && r.status().isTerminal()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", r.error().type());
            error.put("message", r.error().message());
            data.put("error", error);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", Instant.ofEpochMilli(r.updatedAt()).toString());
        body.put("data", data);
        return Json.string(body);
    }
}
