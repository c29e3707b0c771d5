package io.photomaker.gateway.identity;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.gateway.jobs.JobJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** The API's view of a stored identity: its record without the internal photo keys or tenant. */
public final class IdentityJson {
    private IdentityJson() {
    }

    /** The identity as GET /v1/identities/{id} and the 202 of POST /v1/identities return it. */
    public static Map<String, Object> render(IdentityRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("status", r.status());
        m.put("embeddings", r.embeddings());
        m.put("model", r.modelOrDefault());
        m.put("keep_photos", r.keepPhotos());
        if (r.error() != null) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", r.error().type());
            err.put("message", r.error().message());
            m.put("error", err);
        } else {
            m.put("error", null);
        }
        m.put("created_at", JobJson.time(r.createdAt()));
        m.put("updated_at", JobJson.time(r.updatedAt()));
        m.put("links", Map.of("self", path(r.id())));
        return m;
    }

    /** The identity's URL path. */
    public static String path(String id) {
        return "/v1/identities/" + id;
    }
}
