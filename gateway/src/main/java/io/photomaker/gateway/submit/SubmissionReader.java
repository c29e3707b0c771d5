package io.photomaker.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.BodyCollector;
import io.photomaker.gateway.limits.BodyBudget;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a submission body from the request stream, in memory and within limits: multipart/form-data (a
 * {@code request} JSON part and {@code images} file parts) or application/json (the request fields plus
 * {@code images} as base64 data-URIs). The body's size, its share of the process's body budget and its total time
 * are enforced while bytes arrive ({@link BodyCollector}); the multipart parser stops at the first part over the
 * part limit. Nothing is ever written to disk. Jobs and identities are read alike; an identity's {@code request}
 * part is optional.
 */
public final class SubmissionReader {
    public static final String REQUEST_PART = "request";
    public static final String IMAGES_PART = "images";
    private static final int MAX_REQUEST_JSON = 256 * 1024;
    /** Bodies up to this size are parsed on the event loop: the search skips through them in microseconds. */
    private static final int INLINE_PARSE_BYTES = 2 << 20;

    private final long maxBodyBytes;
    private final int maxImageBytes;
    private final int maxImages;
    private final WorkerExecutor parsers;
    private final boolean requestPartRequired;
    private final BodyCollector collector;

    /**
     * A reader of job submissions, whose multipart bodies must hold a {@code request} part.
     *
     * @param parsers where JSON bodies are parsed and their data-URIs decoded: tens of megabytes of base64
     *                would stall an event loop
     * @param budget the process's request body budget
     * @param bodyTimeout the longest one body may take to arrive
     */
    public SubmissionReader(long maxBodyBytes, int maxImageBytes, int maxImages, WorkerExecutor parsers,
                            BodyBudget budget, Duration bodyTimeout) {
        this(maxBodyBytes, maxImageBytes, maxImages, parsers, true, budget, bodyTimeout);
    }

    /** @param requestPartRequired false reads a multipart body without a {@code request} part as an empty object */
    public SubmissionReader(long maxBodyBytes, int maxImageBytes, int maxImages, WorkerExecutor parsers,
                            boolean requestPartRequired, BodyBudget budget, Duration bodyTimeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxImageBytes = maxImageBytes;
        this.maxImages = maxImages;
        this.parsers = parsers;
        this.requestPartRequired = requestPartRequired;
        this.collector = new BodyCollector(maxBodyBytes, budget, bodyTimeout);
    }

    /** Reads the whole body of {@code ctx}'s request; fails with an {@link ApiError} on malformed or oversized input. */
    public Future<Submission> read(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    return Future.failedFuture(BodyCollector.tooLarge(ctx, maxBodyBytes));
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(new ApiError(ErrorType.BAD_REQUEST, "Content-Length is not a number", null));
            }
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/form-data")) {
            String boundary = MultipartForm.boundary(type);
            if (boundary == null) {
                return Future.failedFuture(malformed("the multipart Content-Type has no usable boundary"));
            }
            return collector.collect(ctx).compose(body -> body.length() <= INLINE_PARSE_BYTES
                    ? parseNow(() -> fromMultipart(body, boundary))
                    : parsers.executeBlocking(() -> fromMultipart(body, boundary), false));
        }
        if (lower.startsWith("application/json")) {
            return collector.collect(ctx).compose(body -> parsers.executeBlocking(() -> fromJson(body), false));
        }
        return Future.failedFuture(new ApiError(ErrorType.UNSUPPORTED_MEDIA_TYPE,
                "send multipart/form-data or application/json"));
    }

    private static Future<Submission> parseNow(java.util.function.Supplier<Submission> parse) {
        try {
            return Future.succeededFuture(parse.get());
        } catch (ApiError e) {
            return Future.failedFuture(e);
        }
    }

    private Submission fromJson(BodyCollector.Body body) {
        JsonNode root = RequestParser.tree(body.bytes(), body.length(), "the request body");
        JsonNode images = root.get(IMAGES_PART);
        List<UploadedImage> out = new ArrayList<>();
        if (images != null && !images.isNull()) {
            if (!images.isArray()) {
                throw new ApiError(ErrorType.INVALID_TYPE, "images must be an array of data-URIs", IMAGES_PART);
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
        return new ApiError(ErrorType.TOO_MANY_IMAGES, "at most " + maxImages + " ID photos are accepted, got " + n,
                IMAGES_PART);
    }

    private Submission fromMultipart(BodyCollector.Body body, String boundary) {
        List<MultipartForm.Part> parts;
        try {
            // The request part and the photos, with room to name the photos that are one too many; the parser
            // stops at the first part past that, however many the body holds.
            parts = MultipartForm.parse(body.bytes(), body.length(), boundary, 2 * (maxImages + 1));
        } catch (MultipartForm.TooManyParts e) {
            throw new ApiError(ErrorType.TOO_MANY_PARTS, e.getMessage(), null);
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
                    throw new ApiError(ErrorType.DUPLICATE_PART, "the request part was sent more than once",
                            REQUEST_PART);
                }
                if (part.length() > MAX_REQUEST_JSON) {
                    throw new ApiError(ErrorType.BODY_TOO_LARGE, "the request part is larger than " + MAX_REQUEST_JSON
                            + " bytes", REQUEST_PART);
                }
                requestJson = PartText.utf8(part.bytes(), part.contentType(), REQUEST_PART);
            } else {
                throw unknownPart(part.name());
            }
        }
        if (requestJson == null && requestPartRequired) {
            throw new ApiError(ErrorType.MISSING_FIELD, "the multipart body needs a 'request' part holding the"
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
            throw new ApiError(ErrorType.IMAGE_TOO_LARGE, field + " is larger than " + maxImageBytes + " bytes",
                    field);
        }
        return new UploadedImage(field, part.bytes(), part.contentType());
    }

    private static ApiError unknownPart(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        return new ApiError(ErrorType.UNKNOWN_PART, "unknown multipart part '" + shown + "'; send 'request' and"
                + " 'images'", shown);
    }

    private static ApiError malformed(String message) {
        return new ApiError(ErrorType.MALFORMED_MULTIPART, message, null);
    }
}
