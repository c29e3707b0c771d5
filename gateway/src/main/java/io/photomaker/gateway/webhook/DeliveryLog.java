package io.photomaker.gateway.webhook;

import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.retention.MissingObjects;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Each job's webhook deliveries and their tries, one object per delivery under
 * {@code webhooks/<job id>/deliveries/}, plus a marker object when a receiver answered 410 Gone.
 * A delivery's tries happen one after another, so each write replaces the object with a longer log.
 */
public final class DeliveryLog {
    private final ObjectStore store;

    public DeliveryLog(ObjectStore store) {
        this.store = store;
    }

    /** Every webhook object of a job (deleted with the job's archive). */
    /** Where every job's delivery log lives; an object-store lifecycle rule expires it (deploy/k8s/base/s3-lifecycle.json). */
    public static final String ROOT = "webhooks/";

    public static String prefix(String jobId) {
        return ROOT + jobId + "/";
    }

    static String deliveriesPrefix(String jobId) {
        return prefix(jobId) + "deliveries/";
    }

    static String key(String jobId, String deliveryId) {
        return deliveriesPrefix(jobId) + deliveryId + ".json";
    }

    static String disabledKey(String jobId) {
        return prefix(jobId) + "disabled";
    }

    public CompletableFuture<Void> write(WebhookDelivery d) {
        return store.put(key(d.jobId(), d.id()), Json.bytes(d), "application/json");
    }

    /** The job's deliveries, oldest event first. */
    public CompletableFuture<List<WebhookDelivery>> list(String jobId) {
        return store.list(deliveriesPrefix(jobId)).thenCompose(keys -> {
            List<CompletableFuture<byte[]>> reads = keys.stream().map(store::get).toList();
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenApply(v -> reads.stream().map(f -> Json.read(f.join(), WebhookDelivery.class))
                            .sorted(Comparator.comparingLong(WebhookDelivery::createdAt)
                                    .thenComparing(WebhookDelivery::id))
                            .toList());
        });
    }

    public CompletableFuture<Optional<WebhookDelivery>> find(String jobId, String deliveryId) {
        return store.get(key(jobId, deliveryId))
                .thenApply(b -> Optional.of(Json.read(b, WebhookDelivery.class)))
                .exceptionallyCompose(e -> MissingObjects.isMissing(e)
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : CompletableFuture.failedFuture(e));
    }

    /** Stops automatic deliveries for a job whose receiver answered 410 Gone. */
    public CompletableFuture<Void> disable(String jobId) {
        return store.put(disabledKey(jobId), new byte[0], "text/plain");
    }

    public CompletableFuture<Boolean> isDisabled(String jobId) {
        return store.list(disabledKey(jobId)).thenApply(keys -> keys.contains(disabledKey(jobId)));
    }
}
