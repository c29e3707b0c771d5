package io.photomaker.common.storage;

/** An object store operation failed; {@link #retryable()} tells transient outages from missing objects. */
public class StorageException extends RuntimeException {
    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
