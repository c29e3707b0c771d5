package io.photomaker.common.job;

/**
 * One ID photo of a job as stored in the object store.
 *
 * @param key object key under {@code inputs/}
 * @param sha256 hex digest of the bytes, used to cache ID embeddings
 * @param contentType image/jpeg, image/png or image/webp
 */
public record JobInput(String key, String sha256, String contentType) {
}
