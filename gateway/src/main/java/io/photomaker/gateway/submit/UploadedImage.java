package io.photomaker.gateway.submit;

/**
 * One ID photo as received, before any check.
 *
 * @param field where it came from in the request, e.g. {@code images[2]}
 * @param bytes the file's bytes
 * @param declaredType the media type the client claimed (part header or data-URI), maybe null
 */
public record UploadedImage(String field, byte[] bytes, String declaredType) {
}
