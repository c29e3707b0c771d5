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
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a submission body straight from the request stream, in memory and within limits: multipart/form-data
 * (a {@code request} JSON part and {@code images} file parts) or application/json (the request fields plus
 * {@code images} as base64 data-URIs). The body limit is enforced while bytes arrive, so an oversized upload
 * is refused before it is buffered; part and photo limits are checked once the body is complete. Nothing is
 * ever written to disk. Jobs and identities are read alike; an identity's {@code request} part is optional.
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

    /**
     * The state of one multipart read: the body is gathered into one array (pre-sized from Content-Length,
     * within the body limit), then parsed by {@link MultipartForm}; the first problem ends it.
     */
    private final class MultipartRead {
        /** Bodies up to this size are parsed on the event loop: the search skips through them in microseconds. */
        private static final int INLINE_PARSE_BYTES = 2 << 20;
        private static final int MAX_PRESIZE = 8 << 20;
        private final HttpServerRequest req;
        private final Promise<Submission> result = Promise.promise();
        private byte[] body;
        private int size;

        MultipartRead(HttpServerRequest req) {
            this.req = req;
        }

        Future<Submission> start() {
            String boundary = MultipartForm.boundary(req.getHeader(HttpHeaders.CONTENT_TYPE));
            if (boundary == null) {
                return Future.failedFuture(malformed("the multipart Content-Type has no usable boundary"));
            }
            body = new byte[initialCapacity()];
            req.handler(this::append);
            req.exceptionHandler(e -> result.tryFail(malformed("the multipart body is malformed or broke off")));
            req.endHandler(v -> finish(boundary));
            return result.future();
        }

        private int initialCapacity() {
            String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = length == null ? 0 : Long.parseLong(length.trim());
            // A client may announce more than it sends: never reserve more than a few megabytes up front.
            return (int) Math.max(8192, Math.min(declared, Math.min(maxBodyBytes, MAX_PRESIZE)));
        }

        private void append(Buffer chunk) {
            if (result.future().isComplete()) {
                return;
            }
            int n = chunk.length();
            if (size + (long) n > maxBodyBytes) {
                body = null;
                result.tryFail(tooLarge());
                return;
            }
            if (size + n > body.length) {
                long grown = Math.max((long) body.length * 2, (long) size + n);
                body = Arrays.copyOf(body, (int) Math.min(grown, maxBodyBytes));
            }
            chunk.getBytes(body, size);
            size += n;
        }

        private void finish(String boundary) {
            if (result.future().isComplete()) {
                return;
            }
            if (size <= INLINE_PARSE_BYTES) {
                complete(() -> toSubmission(boundary));
            } else {
                parsers.executeBlocking(() -> toSubmission(boundary), false).onComplete(result);
            }
        }

        private void complete(java.util.function.Supplier<Submission> parse) {
            try {
                result.tryComplete(parse.get());
            } catch (ApiError e) {
                result.tryFail(e);
            }
        }

        private Submission toSubmission(String boundary) {
            List<MultipartForm.Part> parts;
            try {
                parts = MultipartForm.parse(body, size, boundary);
            } catch (MultipartForm.Malformed e) {
                throw malformed(e.getMessage());
            }
            List<UploadedImage> images = new ArrayList<>();
            byte[] requestJson = null;
            for (MultipartForm.Part part : parts) {
                if (IMAGES_PART.equals(part.name())) {
                    images.add(image(part, images.size()));
                } else if (REQUEST_PART.equals(part.name())) {
                    if (requestJson != null) {
                        throw ApiError.badRequest("duplicate_part", "the request part was sent more than once",
                                REQUEST_PART);
                    }
                    if (part.length() > MAX_REQUEST_JSON) {
                        throw new ApiError(413, "body_too_large", "the request part is larger than " + MAX_REQUEST_JSON
                                + " bytes", REQUEST_PART);
                    }
                    requestJson = PartText.utf8(part.bytes(), part.contentType(), REQUEST_PART);
                } else {
                    throw unknownPart(part.name());
                }
            }
            if (requestJson == null && requestPartRequired) {
                throw ApiError.badRequest("missing_field", "the multipart body needs a 'request' part holding the"
                        + " job as JSON", REQUEST_PART);
            }
            JsonNode root = requestJson == null ? JsonNodeFactory.instance.objectNode()
                    : RequestParser.tree(requestJson, "the request part");
            return new Submission(root, images);
        }

        private UploadedImage image(MultipartForm.Part part, int index) {
            if (index + 1 > maxImages) {
                throw tooMany(index + 1);
            }
            String field = "images[" + index + "]";
            if (part.length() > maxImageBytes) {
                throw ApiError.badRequest("image_too_large", field + " is larger than " + maxImageBytes + " bytes",
                        field);
            }
            return new UploadedImage(field, part.bytes(), part.contentType());
        }

        private ApiError unknownPart(String name) {
            String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
            shown = shown.replaceAll("\\p{Cntrl}", "?");
            return ApiError.badRequest("unknown_part", "unknown multipart part '" + shown + "'; send 'request' and"
                    + " 'images'", shown);
        }
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_multipart", message, null);
    }
}
