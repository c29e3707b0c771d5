package io.photomaker.gateway.jobs;

import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's view of a job: the client-facing JSON shape of a {@link JobRecord}. */
public final class JobJson {
    private final Duration outputTtl;

    public JobJson(Duration outputTtl) {
        this.outputTtl = outputTtl;
    }

    /** The job as GET /v1/jobs/{id} returns it; {@code queuePosition} is 0 when not queued. */
    public Map<String, Object> render(JobRecord r, int queuePosition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status().wireName());
        if (r.status() == JobStatus.QUEUED && queuePosition > 0) {
            m.put("queue_position", queuePosition);
        }
        m.put("progress", Map.of("step", r.step(), "total", r.total()));
        if (r.request() != null) {
            m.put("model", r.request().model() == null ? io.photomaker.common.model.ModelNames.V1 : r.request().model());
        }
        m.put("outputs", outputs(r));
        generationsTried(r).ifPresent(n -> m.put("generations_tried", n));
        if (r.error() != null && r.status().isTerminal()) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", r.error().type());
            err.put("message", r.error().message());
            err.put("retryable", r.error().retryable());
            m.put("error", err);
        }
        m.put("created_at", time(r.createdAt()));
        m.put("started_at", time(r.startedAt()));
        m.put("finished_at", time(r.finishedAt()));
        m.put("expires_at", time(expiresAt(r)));
        m.put("cancel_requested", r.cancelRequested());
        m.put("data_deleted", r.dataDeleted());
        m.put("links", links(r.id()));
        return m;
    }

    /** Epoch milliseconds after which the outputs are gone, or 0 while there are none. */
    public long expiresAt(JobRecord r) {
        if (r.expiresAt() > 0) {
            // the state processor's own figure, the one retention acts on
            return r.expiresAt();
        }
        return r.status() == JobStatus.SUCCEEDED && r.finishedAt() > 0 ? r.finishedAt() + outputTtl.toMillis() : 0;
    }

    /** The answer to an accepted submission. */
    public static Map<String, Object> accepted(String jobId, long createdAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", jobId);
        m.put("status", JobStatus.QUEUED.wireName());
        m.put("created_at", time(createdAt));
        m.put("links", links(jobId));
        return m;
    }

    public static Map<String, Object> links(String jobId) {
        String self = "/v1/jobs/" + jobId;
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("self", self);
        l.put("events", self + "/events");
        l.put("cancel", self + "/cancel");
        l.put("data", self + "/data");
        return l;
    }

    private static List<Map<String, Object>> outputs(JobRecord r) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<JobOutput> outputs = r.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            JobOutput o = outputs.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", "/v1/jobs/" + r.id() + "/outputs/" + i);
            m.put("width", o.width());
            m.put("height", o.height());
            m.put("seed", o.seed());
            if (o.generations() != null) {
                m.put("identity_similarity", o.identitySimilarity());
                m.put("generations", o.generations());
            }
            out.add(m);
        }
        return out;
    }

    /** Images generated for the outputs, regenerations included; absent for outputs of older workers. */
    private static java.util.Optional<Integer> generationsTried(JobRecord r) {
        if (r.outputs().isEmpty() || r.outputs().stream().anyMatch(o -> o.generations() == null)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(r.outputs().stream().mapToInt(JobOutput::generations).sum());
    }

    /** RFC 3339 UTC time, or null for 0 (not yet). */
    public static String time(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
