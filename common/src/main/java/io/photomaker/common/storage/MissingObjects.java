package io.photomaker.common.storage;

import io.photomaker.common.storage.StorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Tells an object that is not there from a store that cannot be reached. */
public final class MissingObjects {
    private MissingObjects() {
    }

    /** Whether {@code failure} (possibly wrapped) says the object does not exist. */
    public static boolean isMissing(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof StorageException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof NoSuchKeyException || (t instanceof S3Exception s3 && s3.statusCode() == 404);
    }
}
