package io.photomaker.common.job;

/**
 * One generated image as stored: the object key, its size and the seed that produced it.
 *
 * @param identitySimilarity cosine similarity of the output's face to the ID photos' faces (ArcFace
 *                           embeddings); null when the worker has no face models or finds no face
 * @param generations images generated for this output: 1, plus the regenerations spent on it when the job
 *                    set min_identity_similarity (null in outputs written before identity checks existed)
 */
public record JobOutput(String key, int width, int height, long seed, Double identitySimilarity,
                        Integer generations) {

    /** An output without identity check. */
    public JobOutput(String key, int width, int height, long seed) {
        this(key, width, height, seed, null, null);
    }
}
