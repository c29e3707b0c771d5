package io.photomaker.gateway.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * One webhook message to one receiver, as it travels through {@code photomaker.webhooks} and the retry
 * topic and as it is kept in the delivery log. Retries carry the same id (the receiver's idempotency
 * key, sent as {@code webhook-id}) and the same payload.
 *
 * @param id delivery id, {@code msg_<job id>_<record version>}: the same verdict always gets the same id
 * @param jobId the job the event is about
 * @param tenant the job's owner
 * @param url where to POST
 * @param type event type, e.g. {@code job.succeeded}
 * @param payload the JSON body, byte for byte what is signed and sent
 * @param createdAt epoch milliseconds when the event happened
 * @param dueAt epoch milliseconds before which this try must not be made
 * @param attempt the try this message stands for within its round (1 = first; a replay starts a new round)
 * @param manual whether a person asked for this round (a replay), which bypasses a receiver's 410
 * @param attempts every earlier try, oldest first
 */
public record WebhookDelivery(String id, String jobId, String tenant, String url, String type, String payload,
                              long createdAt, long dueAt, int attempt, boolean manual,
                              List<WebhookAttempt> attempts) {
    public WebhookDelivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** The id of the delivery for the verdict with {@code version} of job {@code jobId}. */
    public static String idFor(String jobId, long version) {
        return "msg_" + jobId + "_" + version;
    }

    /** This delivery with {@code tried} appended to its log. */
    public WebhookDelivery logged(WebhookAttempt tried) {
        List<WebhookAttempt> all = new ArrayList<>(attempts);
        all.add(tried);
        return new WebhookDelivery(id, jobId, tenant, url, type, payload, createdAt, dueAt, attempt, manual, all);
    }

    /** The next try of this round, due at {@code at}. */
    public WebhookDelivery retryAt(long at) {
        return new WebhookDelivery(id, jobId, tenant, url, type, payload, createdAt, at, attempt + 1, manual,
                attempts);
    }

    /** This same try, postponed to {@code at} (its tenant had too many deliveries in progress). */
    public WebhookDelivery deferredTo(long at) {
        return new WebhookDelivery(id, jobId, tenant, url, type, payload, createdAt, at, attempt, manual, attempts);
    }

    /** A new round started by hand, due at {@code at}. */
    public WebhookDelivery replayAt(long at) {
        return new WebhookDelivery(id, jobId, tenant, url, type, payload, createdAt, at, 1, true, attempts);
    }

    /** The outcome of the latest try, or {@code pending} before the first. */
    public String state() {
        return attempts.isEmpty() ? "pending" : attempts.get(attempts.size() - 1).outcome();
    }
}
