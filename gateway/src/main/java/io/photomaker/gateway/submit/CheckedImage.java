package io.photomaker.gateway.submit;

import io.photomaker.common.image.ImageFormat;

/**
 * An ID photo that passed every check, ready to store.
 *
 * @param bytes the file's bytes, unchanged
 * @param format the format its content proved to be
 * @param width pixel width
 * @param height pixel height
 * @param sha256 lowercase hex digest of the bytes
 */
public record CheckedImage(byte[] bytes, ImageFormat format, int width, int height, String sha256) {
}
