package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stored identity embeddings: the version 2 file keeps face embeddings, version 1 files stay readable. */
class IdentityStoreTest {
    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @Test
    void id_and_face_embeddings_round_trip() {
        var written = new IdentityStore.Embeddings(List.of(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}),
                List.of(new float[] {0.5f, -0.5f}));
        IdentityStore.Embeddings read = IdentityStore.decode(IdentityStore.encode(written));
        assertEquals(2, read.idEmbeddings().size());
        assertArrayEquals(new float[] {5, 6, 7, 8}, read.idEmbeddings().get(1));
        assertEquals(1, read.faceEmbeddings().size());
        assertArrayEquals(new float[] {0.5f, -0.5f}, read.faceEmbeddings().get(0));
    }

    @Test
    void a_version_1_file_written_before_face_models_is_still_read() {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * 3).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x444d4950).putInt(1).putInt(1).putInt(3).putFloat(1).putFloat(2).putFloat(3);
        IdentityStore.Embeddings read = IdentityStore.decode(b.array());
        assertArrayEquals(new float[] {1, 2, 3}, read.idEmbeddings().get(0));
        assertEquals(List.of(), read.faceEmbeddings());
    }

    @Test
    void a_truncated_file_is_corrupt_and_not_retried() {
        byte[] bytes = IdentityStore.encode(new IdentityStore.Embeddings(List.of(new float[] {1, 2}), List.of()));
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> IdentityStore.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals("identity_corrupt", e.failure().type());
        assertEquals(false, e.failure().retryable());
    }

    @Test
    void weights_cycle_the_id_embeddings_and_an_identity_of_another_model_is_refused() {
        IdentityStore identities = new IdentityStore(store);
        save(identities, "idn-v2", "photomaker-v2", new IdentityStore.Embeddings(
                List.of(new float[] {1}, new float[] {2}), List.of(new float[] {9, 9})));
        save(identities, "idn-v1", null, new IdentityStore.Embeddings(List.of(new float[] {3}), List.of()));

        IdentityStore.Embeddings stack = identities.stackFor(List.of(new IdentityRef("idn-v2", 3)), "photomaker-v2");
        assertEquals(List.of(1f, 2f, 1f), stack.idEmbeddings().stream().map(e -> e[0]).toList());
        assertEquals(1, stack.faceEmbeddings().size());

        JobFailedException e = assertThrows(JobFailedException.class,
                () -> identities.stackFor(List.of(new IdentityRef("idn-v1", 1)), "photomaker-v2"));
        assertEquals("identity_model_mismatch", e.failure().type());
        assertEquals(1, identities.stackFor(List.of(new IdentityRef("idn-v1", 1)), "photomaker-v1").idEmbeddings().size());
    }

    private static void save(IdentityStore identities, String id, String model, IdentityStore.Embeddings embeddings) {
        identities.saveEmbeddings(id, embeddings);
        identities.saveRecord(new IdentityRecord(id, "t", id, IdentityRecord.READY, List.of(), false,
                embeddings.idEmbeddings().size(), null, 1, 1, model));
        assertEquals(model, identities.record(id).model());
        store.get(ObjectKeys.identityEmbeddings(id)).join();
    }
}
