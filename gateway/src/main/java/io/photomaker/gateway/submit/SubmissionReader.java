package io.photomaker.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a submission body straight from the request stream, in memory and within limits: multipart/form-data
 * (a {@code request} JSON part and {@code images} file parts) or application/json (the request fields plus
 * {@code images} as base64 data-URIs). Limits are enforced while bytes arrive, so an oversized upload is
 * refused before it is buffered, and nothing is ever written to disk. Jobs and identities are read alike;
 * an identity's {@code request} part is optional.
 */
public final class SubmissionReader {
    public static final String REQUEST_PART = "request";
    public static final String IMAGES_PART = "images";
    private static final int MAX_REQUEST_JSON = 256 * 1024;

    private final long maxBodyBytes;
    private final int maxImageBytes;
    private final int maxImages;
    private final WorkerExecutor parsers;
    private final boolean requestPartRequired;

    /**
     * A reader of job submissions, whose multipart bodies must hold a {@code request} part.
     *
     * @param parsers where JSON bodies are parsed and their data-URIs decoded: tens of megabytes of base64
     *                would stall an event loop
     */
    public SubmissionReader(long maxBodyBytes, int maxImageBytes, int maxImages, WorkerExecutor parsers) {
        this(maxBodyBytes, maxImageBytes, maxImages, parsers, true);
    }

    /** @param requestPartRequired false reads a multipart body without a {@code request} part as an empty object */
    public SubmissionReader(long maxBodyBytes, int maxImageBytes, int maxImages, WorkerExecutor parsers,
                            boolean requestPartRequired) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxImageBytes = maxImageBytes;
        this.maxImages = maxImages;
        this.parsers = parsers;
        this.requestPartRequired = requestPartRequired;
    }

    /** Reads the whole body of {@code req}; fails with an {@link ApiError} on any malformed or oversized input. */
    public Future<Submission> read(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    return Future.failedFuture(tooLarge());
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(ApiError.badRequest("bad_request", "Content-Length is not a number", null));
            }
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/form-data")) {
            return new MultipartRead(req).start();
        }
        if (lower.startsWith("application/json")) {
            return readJson(req);
        }
        return Future.failedFuture(new ApiError(415, "unsupported_media_type",
                "send multipart/form-data or application/json"));
    }

    private ApiError tooLarge() {
        return new ApiError(413, "body_too_large", "the request body is larger than " + maxBodyBytes + " bytes");
    }

    private Future<Submission> readJson(HttpServerRequest req) {
        Promise<Buffer> body = Promise.promise();
        Buffer acc = Buffer.buffer();
        req.handler(chunk -> {
            if (body.future().isComplete()) {
                return;
            }
            if (acc.length() + (long) chunk.length() > maxBodyBytes) {
                body.tryFail(tooLarge());
                return;
            }
            acc.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> body.tryFail(ApiError.badRequest("malformed_body", "the request body broke off", null)));
        req.endHandler(v -> body.tryComplete(acc));
        return body.future().compose(buf -> parsers.executeBlocking(() -> fromJson(buf), false));
    }

    private Submission fromJson(Buffer buf) {
        JsonNode root = RequestParser.tree(buf.getBytes(), "the request body");
        JsonNode images = root.get(IMAGES_PART);
        List<UploadedImage> out = new ArrayList<>();
        if (images != null && !images.isNull()) {
            if (!images.isArray()) {
                throw ApiError.badRequest("invalid_type", "images must be an array of data-URIs", IMAGES_PART);
            }
            if (images.size() > maxImages) {
                throw tooMany(images.size());
            }
            for (int i = 0; i < images.size(); i++) {
                out.add(DataUris.decode(images.get(i), "images[" + i + "]", maxImageBytes));
            }
        }
        ((ObjectNode) root).remove(IMAGES_PART);
        return new Submission(root, out);
    }

    private ApiError tooMany(int n) {
        return ApiError.badRequest("too_many_images", "at most " + maxImages + " ID photos are accepted, got " + n,
                IMAGES_PART);
    }

    /** The state of one multipart read: parts arrive as streams; the first problem ends it. */
    private final class MultipartRead {
        private final HttpServerRequest req;
        private final Promise<Submission> result = Promise.promise();
        private final List<UploadedImage> images = new ArrayList<>();
        private byte[] requestJson;
        private long received;
        private int imageParts;
        private ClosingBoundary closing;

        MultipartRead(HttpServerRequest req) {
            this.req = req;
        }

        Future<Submission> start() {
            try {
                req.setExpectMultipart(true);
            } catch (RuntimeException e) {
                return Future.failedFuture(malformed("the multipart Content-Type has no usable boundary"));
            }
            closing = ClosingBoundary.of(req.getHeader(HttpHeaders.CONTENT_TYPE));
            if (closing == null) {
                return Future.failedFuture(malformed("the multipart Content-Type has no usable boundary"));
            }
            req.handler(chunk -> {
                received += chunk.length();
                if (received > maxBodyBytes) {
                    fail(tooLarge());
                    return;
                }
                closing.accept(chunk);
            });
            req.uploadHandler(this::onUpload);
            req.exceptionHandler(e -> fail(malformed("the multipart body is malformed")));
            req.endHandler(v -> finish());
            return result.future();
        }

        private void onUpload(HttpServerFileUpload up) {
            String name = up.name();
            if (IMAGES_PART.equals(name)) {
                int index = imageParts++;
                if (imageParts > maxImages) {
                    fail(tooMany(imageParts));
                    return;
                }
                String field = "images[" + index + "]";
                collect(up, maxImageBytes, () -> ApiError.badRequest("image_too_large", field + " is larger than "
                        + maxImageBytes + " bytes", field), bytes -> images.add(new UploadedImage(field, bytes,
                        up.contentType())));
            } else if (REQUEST_PART.equals(name)) {
                collect(up, MAX_REQUEST_JSON, () -> new ApiError(413, "body_too_large", "the request part is larger than "
                        + MAX_REQUEST_JSON + " bytes", REQUEST_PART), this::setRequest);
            } else {
                fail(unknownPart(name));
            }
        }

        private void collect(HttpServerFileUpload up, int limit, java.util.function.Supplier<ApiError> tooBig,
                             java.util.function.Consumer<byte[]> done) {
            // Chunks are kept as they come and copied once into an array of the final size.
            List<Buffer> chunks = new ArrayList<>();
            long[] size = {0};
            up.handler(chunk -> {
                if (result.future().isComplete()) {
                    return;
                }
                if (size[0] + chunk.length() > limit) {
                    chunks.clear();
                    fail(tooBig.get());
                    return;
                }
                size[0] += chunk.length();
                chunks.add(chunk);
            });
            up.exceptionHandler(e -> fail(malformed("a multipart part broke off")));
            up.endHandler(v -> {
                if (!result.future().isComplete()) {
                    byte[] bytes = new byte[(int) size[0]];
                    int at = 0;
                    for (Buffer c : chunks) {
                        c.getBytes(bytes, at);
                        at += c.length();
                    }
                    done.accept(bytes);
                }
            });
        }

        private void setRequest(byte[] json) {
            if (requestJson != null) {
                fail(ApiError.badRequest("duplicate_part", "the request part was sent more than once", REQUEST_PART));
                return;
            }
            requestJson = json;
        }

        private void finish() {
            if (result.future().isComplete()) {
                return;
            }
            try {
                if (!closing.seen()) {
                    throw malformed("the multipart body ends without its closing boundary; it may have been cut short");
                }
                for (String name : req.formAttributes().names()) {
                    if (!REQUEST_PART.equals(name)) {
                        throw unknownPart(name);
                    }
                    List<String> values = req.formAttributes().getAll(name);
                    for (String v : values) {
                        setRequest(v.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (result.future().isComplete()) {
                    return;
                }
                if (requestJson == null && requestPartRequired) {
                    throw ApiError.badRequest("missing_field", "the multipart body needs a 'request' part holding the"
                            + " job as JSON", REQUEST_PART);
                }
                JsonNode root = requestJson == null ? JsonNodeFactory.instance.objectNode()
                        : RequestParser.tree(requestJson, "the request part");
                result.tryComplete(new Submission(root, images));
            } catch (ApiError e) {
                fail(e);
            }
        }

        private void fail(ApiError e) {
            result.tryFail(e);
        }

        private ApiError unknownPart(String name) {
            String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
            return ApiError.badRequest("unknown_part", "unknown multipart part '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "'; send 'request' and 'images'", shown.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_multipart", message, null);
    }
}
