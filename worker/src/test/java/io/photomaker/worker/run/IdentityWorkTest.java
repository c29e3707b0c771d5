package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.InputLimits;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.testkit.kafka.TopicReader;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PipelineException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity lifecycle against a real object store and broker, with a stand-in for the ID encoder so the test
 * decides what happens while an identity is being encoded.
 */
class IdentityWorkTest {
    private static final int MAX_ATTEMPTS = 3;
    private static final IdPhotos ONE_EMBEDDING = new IdPhotos(List.of(new float[] {1, 2, 3}), List.of(), List.of());
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static JobProducer producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(1);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        producer = new JobProducer(kafka.settings(), "identity-work-test");
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        store.close();
        s3.close();
        kafka.close();
    }

    private static IdentityRecord pending(byte[] photo, InputLimits limits) {
        String id = JobIds.newIdentityId();
        String key = ObjectKeys.identityPhoto(id, 0, "png");
        store.put(key, photo, "image/png").join();
        IdentityRecord r = new IdentityRecord(id, "t", "me", IdentityRecord.PENDING, List.of(key), false, 0, null, 1, 1,
                null, limits, 0);
        new IdentityStore(store).saveRecord(r);
        return r;
    }

    private static List<String> stored(IdentityRecord r) {
        return store.list(ObjectKeys.identityPrefix(r.id())).join();
    }

    @Test
    void an_identity_deleted_while_it_is_encoded_never_comes_back() {
        IdentityRecord r = pending(SamplePortraits.png(1, 64, 64), InputLimits.DEFAULTS);
        IdentityWork work = new IdentityWork(photos -> {
            // The owner's DELETE lands mid-encode: the record goes first, then everything under the prefix.
            store.delete(ObjectKeys.identityRecord(r.id())).join();
            store.deletePrefix(ObjectKeys.identityPrefix(r.id())).join();
            return ONE_EMBEDDING;
        }, store, producer, MAX_ATTEMPTS);
        assertTrue(work.run(r));
        assertEquals(List.of(), stored(r), "neither the record nor the embeddings were written back");
    }

    @Test
    void a_failed_identity_keeps_its_error_and_loses_its_photos() {
        IdentityRecord r = pending("not an image".getBytes(StandardCharsets.UTF_8), InputLimits.DEFAULTS);
        assertTrue(new IdentityWork(photos -> ONE_EMBEDDING, store, producer, MAX_ATTEMPTS).run(r));
        IdentityRecord failed = new IdentityStore(store).record(r.id());
        assertEquals(IdentityRecord.FAILED, failed.status());
        assertEquals("unsupported_image_format", failed.error().type());
        assertEquals(List.of(), failed.photoKeys());
        assertEquals(List.of(ObjectKeys.identityRecord(r.id())), stored(r), "only the record is left");
    }

    @Test
    void the_photo_limits_the_gateway_accepted_travel_with_the_identity() {
        IdentityRecord r = pending(SamplePortraits.png(2, 128, 128), new InputLimits(100 * 100, 10 << 20, 8));
        assertTrue(new IdentityWork(photos -> ONE_EMBEDDING, store, producer, MAX_ATTEMPTS).run(r));
        IdentityRecord failed = new IdentityStore(store).record(r.id());
        assertEquals("image_too_large", failed.error().type(), failed.error().message());
    }

    @Test
    void attempts_are_capped_and_the_identity_goes_to_the_dead_letter_topic() {
        IdentityRecord r = pending(SamplePortraits.png(3, 64, 64), InputLimits.DEFAULTS);
        AtomicInteger tries = new AtomicInteger();
        IdentityWork work = new IdentityWork(photos -> {
            tries.incrementAndGet();
            throw new PipelineException(ErrorType.MODEL_RUN_FAILED, null, "the GPU went away", true, null);
        }, store, producer, MAX_ATTEMPTS);
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i <= MAX_ATTEMPTS; i++) {
            outcomes.add(work.run(r));
        }
        assertEquals(List.of(false, false, false, true), outcomes, "handed back until the cap, then settled");
        assertEquals(MAX_ATTEMPTS, tries.get());
        IdentityRecord failed = new IdentityStore(store).record(r.id());
        assertEquals(IdentityRecord.FAILED, failed.status());
        assertEquals("retries_exhausted", failed.error().type());
        assertTrue(failed.error().retryable());
        assertEquals(List.of(ObjectKeys.identityRecord(r.id())), stored(r), "photos deleted");
        ConsumerRecord<String, byte[]> dead = deadLetter(r.id());
        assertEquals("identity", new String(dead.headers().lastHeader(KafkaHeaders.WORK).value(),
                StandardCharsets.UTF_8));
        assertEquals(r.id(), Json.read(dead.value(), IdentityRecord.class).id());
    }

    @Test
    void a_work_item_naming_an_identity_already_deleted_is_settled_without_writing() {
        IdentityRecord r = pending(SamplePortraits.png(4, 64, 64), InputLimits.DEFAULTS);
        store.deletePrefix(ObjectKeys.identityPrefix(r.id())).join();
        assertTrue(new IdentityWork(photos -> ONE_EMBEDDING, store, producer, MAX_ATTEMPTS).run(r));
        assertFalse(stored(r).iterator().hasNext());
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (TopicReader reader = TopicReader.fromBeginning(kafka.settings(), Topics.DLQ, "dlq-reader")) {
            reader.readUntil("a dead letter for " + key, Duration.ofSeconds(20), rec -> {
                if (key.equals(rec.key())) {
                    found.add(rec);
                }
            }, () -> !found.isEmpty());
        }
        return found.get(0);
    }
}
