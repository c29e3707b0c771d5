package io.photomaker.gateway.config;

/**
 * How much a submission may carry, as read and checked in {@link GatewayConfig}.
 *
 * @param maxBodyBytes largest request body (PM_MAX_BODY_BYTES)
 * @param maxImageBytes largest single ID photo (PM_MAX_IMAGE_BYTES)
 * @param maxImagePixels largest width x height of an ID photo, checked from its header (PM_MAX_IMAGE_PIXELS)
 * @param maxImages most ID photos per job (PM_MAX_IMAGES)
 */
public record PhotoLimits(long maxBodyBytes, int maxImageBytes, long maxImagePixels, int maxImages) {
}
