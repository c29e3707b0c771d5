package io.photomaker.testkit.contract;

import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The object store contract against the in-process S3 API server. */
class EmbeddedObjectStoreTest extends ObjectStoreContract {
    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }
}
