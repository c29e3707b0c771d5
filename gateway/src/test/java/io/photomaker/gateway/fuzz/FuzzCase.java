package io.photomaker.gateway.fuzz;

import java.util.Map;

/**
 * One generated request.
 *
 * @param label what kind of malformation it carries (for the failure message)
 * @param method HTTP method
 * @param path path and query
 * @param contentType Content-Type, or null
 * @param body body bytes, or null
 * @param headers extra headers
 * @param chunked send without Content-Length
 * @param raw the complete request bytes to write to a socket instead (malformed HTTP), or null
 * @param photos photos a submission carries, to account for stored objects if it is accepted
 */
record FuzzCase(String label, String method, String path, String contentType, byte[] body,
                Map<String, String> headers, boolean chunked, byte[] raw, int photos) {
    static FuzzCase post(String label, String contentType, byte[] body, int photos) {
        return new FuzzCase(label, "POST", "/v1/jobs", contentType, body, Map.of(), false, null, photos);
    }
}
