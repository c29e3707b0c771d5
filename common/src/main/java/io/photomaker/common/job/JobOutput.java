package io.photomaker.common.job;

/**
 * One generated image as stored: the object key, its size and the seed that produced it.
 */
public record JobOutput(String key, int width, int height, long seed) {
}
