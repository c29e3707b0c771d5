package io.photomaker.testkit.contract;

import io.photomaker.common.config.S3Settings;
import io.photomaker.common.storage.ObjectStore;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The object store contract against a MinIO container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class MinioObjectStoreTest extends ObjectStoreContract {
    private static MinIOContainer minio;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        minio = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");
        minio.start();
        store = new ObjectStore(new S3Settings(Optional.of(URI.create(minio.getS3URL())), "us-east-1",
                "photomaker", minio.getUserName(), minio.getPassword(), true));
        store.ensureBucket().join();
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    protected ObjectStore store() {
        return store;
    }
}
