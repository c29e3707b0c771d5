package io.photomaker.common.job;

/**
 * A stored identity used by a job instead of uploaded photos.
 *
 * @param id identity id
 * @param weight how many stacked ID embeddings this identity contributes (1..8; 0 = one per stored photo)
 */
public record IdentityRef(String id, int weight) {
}
