package io.photomaker.gateway.submit;

import io.photomaker.common.image.ImageHeader;
import io.photomaker.gateway.config.PhotoLimits;
import io.photomaker.gateway.limits.GatewayLimits;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * How photos come in, for jobs and identities alike: the body streamed within the body, photo and count limits
 * ({@link SubmissionReader}), each photo's header checked (size, pixel count, type), then each photo decoded once
 * in full and hashed on the decoder pool, off the event loop ({@link ImageVerifier}).
 */
public final class PhotoIntake {
    private final SubmissionReader reader;
    private final ImageVerifier verifier;
    private final WorkerExecutor decoders;

    private PhotoIntake(SubmissionReader reader, ImageVerifier verifier, WorkerExecutor decoders) {
        this.reader = reader;
        this.verifier = verifier;
        this.decoders = decoders;
    }

    /** Job submissions, whose multipart bodies must hold a {@code request} part. */
    public static PhotoIntake forJobs(PhotoLimits photos, GatewayLimits limits, WorkerExecutor decoders) {
        return new PhotoIntake(new SubmissionReader(photos.maxBodyBytes(), photos.maxImageBytes(), photos.maxImages(),
                decoders, limits.bodies(), limits.config().bodyTimeout()), verifier(photos, limits), decoders);
    }

    /** Identity creation, whose multipart bodies may leave the {@code request} part out. */
    public static PhotoIntake forIdentities(PhotoLimits photos, GatewayLimits limits, WorkerExecutor decoders) {
        return new PhotoIntake(new SubmissionReader(photos.maxBodyBytes(), photos.maxImageBytes(), photos.maxImages(),
                decoders, false, limits.bodies(), limits.config().bodyTimeout()), verifier(photos, limits), decoders);
    }

    private static ImageVerifier verifier(PhotoLimits photos, GatewayLimits limits) {
        return new ImageVerifier(photos.maxImageBytes(), photos.maxImagePixels(), limits.decodes(),
                limits.config().decodeWait());
    }

    /** Reads the whole body of the request; fails with an {@code ApiError} on malformed or oversized input. */
    public Future<Submission> read(RoutingContext ctx) {
        return reader.read(ctx);
    }

    /** Checks one photo's header (size, pixel count, type) without decoding it. */
    public ImageHeader inspect(UploadedImage img) {
        return verifier.inspect(img);
    }

    /** Decodes every photo once and hashes it, on the decoder pool: both take milliseconds per megapixel. */
    public Future<List<CheckedImage>> decode(List<UploadedImage> images, List<ImageHeader> headers) {
        return decoders.executeBlocking(() -> {
            List<CheckedImage> checked = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                checked.add(verifier.decode(images.get(i), headers.get(i)));
            }
            return checked;
        }, false);
    }
}
