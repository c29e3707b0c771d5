package io.photomaker.gateway.identity;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.Multipart;
import io.photomaker.gateway.support.SharedInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Creating identities over HTTP and playing the worker's part on them (records written as a worker writes them). */
final class IdentityFixtures {
    private IdentityFixtures() {
    }

    /** POST /v1/identities as multipart: an optional {@code request} part and PNG photos. */
    static ApiClient.Response create(ApiClient api, String key, String requestJson, byte[]... photos) {
        Multipart m = new Multipart();
        if (requestJson != null) {
            m.field("request", requestJson);
        }
        for (int i = 0; i < photos.length; i++) {
            m.file("images", "photo" + i + ".png", "image/png", photos[i]);
        }
        return api.send("POST", "/v1/identities", key, m.build(), m.contentType(), Map.of());
    }

    /** The identity's stored record. */
    static IdentityRecord stored(String id) {
        return Json.read(join(SharedInfra.get().store().get(ObjectKeys.identityRecord(id))), IdentityRecord.class);
    }

    /**
     * Marks the identity ready with {@code embeddings} embeddings as a worker does: embeddings stored, photos
     * deleted unless the owner keeps them, record rewritten.
     */
    static void markReady(String id, int embeddings) {
        IdentityRecord current = stored(id);
        byte[] vectors = new byte[16];
        join(SharedInfra.get().store().put(ObjectKeys.identityEmbeddings(id), vectors, "application/octet-stream"));
        if (!current.keepPhotos()) {
            current.photoKeys().forEach(k -> join(SharedInfra.get().store().deletePrefix(k)));
        }
        List<String> remaining = current.keepPhotos() ? current.photoKeys() : List.of();
        save(current.ready(embeddings, remaining, System.currentTimeMillis()));
    }

    /** Marks the identity failed, as a worker does when no photo can be encoded. */
    static void markFailed(String id, String type, String message) {
        save(stored(id).failed(JobFailure.permanent(type, message), System.currentTimeMillis()));
    }

    private static void save(IdentityRecord r) {
        join(SharedInfra.get().store().put(ObjectKeys.identityRecord(r.id()), Json.bytes(r), "application/json"));
    }

    /** Object keys stored under the identity's prefix. */
    static List<String> keysOf(String id) {
        return join(SharedInfra.get().store().list(ObjectKeys.identityPrefix(id)));
    }

    /** The request the gateway put on photomaker.identity-requests for {@code id}, waiting up to 20 s. */
    static Optional<IdentityRecord> queuedRequest(String id) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(
                SharedInfra.get().kafka(), "identity-test-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.IDENTITY_REQUESTS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (id.equals(r.key())) {
                        return Optional.of(Json.read(r.value(), IdentityRecord.class));
                    }
                }
            }
            return Optional.empty();
        }
    }

    static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
