package io.photomaker.worker.pipeline;

/** One output image: PNG bytes, its size and the seed that produced it. */
public record GeneratedImage(byte[] png, int width, int height, long seed) {
}
