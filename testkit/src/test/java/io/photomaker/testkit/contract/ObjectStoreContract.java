package io.photomaker.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What the system needs from an S3 API server; run against the embedded server and, with Docker, MinIO. */
abstract class ObjectStoreContract {
    protected abstract ObjectStore store();

    private final String prefix = "contract/" + UUID.randomUUID() + "/";

    @Test
    void an_object_put_is_read_back_byte_for_byte() {
        byte[] data = "portrait bytes \u00e9".getBytes(StandardCharsets.UTF_8);
        store().put(prefix + "a.bin", data, "application/octet-stream").join();
        assertArrayEquals(data, store().get(prefix + "a.bin").join());
    }

    @Test
    void a_missing_object_fails_as_not_retryable() {
        CompletionException e = assertThrows(CompletionException.class, () -> store().get(prefix + "none").join());
        StorageException se = (StorageException) e.getCause();
        assertFalse(se.retryable(), se.getMessage());
    }

    @Test
    void deleting_a_prefix_removes_only_the_objects_under_it() {
        store().put(prefix + "job/1.png", new byte[]{1}, "image/png").join();
        store().put(prefix + "job/2.png", new byte[]{2}, "image/png").join();
        store().put(prefix + "other/1.png", new byte[]{3}, "image/png").join();
        assertEquals(2, store().deletePrefix(prefix + "job/").join());
        assertTrue(store().list(prefix + "job/").join().isEmpty());
        assertEquals(1, store().list(prefix + "other/").join().size());
    }

    @Test
    void a_presigned_url_lets_a_plain_http_client_download_the_object() throws Exception {
        byte[] data = {7, 8, 9};
        store().put(prefix + "p.png", data, "image/png").join();
        String url = store().presignGet(prefix + "p.png", Duration.ofMinutes(5));
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
    }

    @Test
    void a_conditional_replace_wins_only_over_the_version_it_read_and_never_recreates_a_deleted_object() {
        String key = prefix + "identity.json";
        store().put(key, new byte[] {1}, "application/json").join();
        ObjectStore.Versioned first = store().getVersioned(key).join();
        String second = store().replaceIf(key, first.etag(), new byte[] {2}, "application/json").join();
        assertTrue(second != null, "the version read may be replaced");
        assertEquals(null, store().replaceIf(key, first.etag(), new byte[] {3}, "application/json").join(),
                "a stale version may not");
        assertArrayEquals(new byte[] {2}, store().get(key).join());
        store().delete(key).join();
        assertEquals(null, store().replaceIf(key, second, new byte[] {4}, "application/json").join(),
                "a deleted object stays deleted");
        assertTrue(store().list(key).join().isEmpty());
        store().delete(key).join();
    }
}
