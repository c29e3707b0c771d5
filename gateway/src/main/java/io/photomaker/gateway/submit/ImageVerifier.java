package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.DecodeBudget;
import io.photomaker.common.image.DecodeCost;
import io.photomaker.common.image.ImageFormat;
import io.photomaker.common.image.ImageHeader;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether an uploaded ID photo is acceptable. {@link #inspect} is cheap and runs first: byte size,
 * header probe, pixel count, claimed type. {@link #decode} then reads the whole file once (it blocks:
 * call it off the event loop) to catch truncated, corrupt or disguised files: non-interlaced PNGs through
 * {@link PngVerifier} (CRCs and the full zlib stream, no pixel buffers), everything else through an image
 * decoder that subsamples large images so verifying never allocates more than about a megapixel of output.
 * What the decoder itself allocates (progressive JPEG coefficients, lossless WebP code tables) is estimated
 * from the file and reserved from the process's {@link DecodeBudget} before it runs.
 */
public final class ImageVerifier {
    private static final long VERIFY_PIXELS = 1 << 20;

    private final int maxBytes;
    private final long maxPixels;
    private final DecodeBudget budget;
    private final Duration budgetWait;

    /**
     * @param budget the process's decode memory, shared by every verifier
     * @param budgetWait how long a decode waits for room in {@code budget} before the upload is refused as busy
     */
    public ImageVerifier(int maxBytes, long maxPixels, DecodeBudget budget, Duration budgetWait) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.budgetWait = budgetWait;
    }

    /**
     * The process's pool for photo decoding and data-URI parsing, one thread per core the JVM may use (in a
     * container, its CPU limit); every caller gets a handle on the same threads, so job and identity uploads
     * share them.
     */
    public static WorkerExecutor decoderPool(Vertx vertx) {
        return vertx.createSharedWorkerExecutor("photomaker-image-decode",
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Header-level checks; throws a 400 {@link ApiError} naming the field. */
    public ImageHeader inspect(UploadedImage img) {
        if (img.bytes().length == 0) {
            throw new ApiError(ErrorType.CORRUPT_IMAGE, img.field() + " is empty", img.field());
        }
        if (img.bytes().length > maxBytes) {
            throw new ApiError(ErrorType.IMAGE_TOO_LARGE, img.field() + " has " + img.bytes().length
                    + " bytes; at most " + maxBytes + " are accepted", img.field());
        }
        ImageHeader header;
        try {
            header = ImageHeader.probe(img.bytes());
            header.checkDeclaredType(img.declaredType());
        } catch (ImageRejected r) {
            throw new ApiError(r.errorType(), img.field() + ": " + r.getMessage(), img.field());
        }
        if (header.pixelCount() > maxPixels) {
            throw new ApiError(ErrorType.IMAGE_TOO_LARGE, img.field() + " is " + header.width() + "x"
                    + header.height() + " (" + header.pixelCount() + " pixels); at most " + maxPixels
                    + " pixels are accepted", img.field());
        }
        return header;
    }

    /**
     * Decodes the whole file once; blocking. The decode's memory, estimated from the file, is reserved from the
     * decode budget first. Throws a 400 ({@code corrupt_image}, or {@code image_too_large} when decoding it would
     * take more memory than the budget holds) or a 429 {@code decoder_busy} when other decodes hold the budget.
     */
    public CheckedImage decode(UploadedImage img, ImageHeader info) {
        DecodeBudget.Reservation memory;
        try {
            long cost = DecodeCost.estimate(img.bytes(), info, subsampling(info.pixelCount()));
            memory = budget.reserve(cost, budgetWait);
        } catch (ImageRejected r) {
            throw new ApiError(r.errorType(), img.field() + ": " + r.getMessage(), img.field());
        } catch (DecodeBudget.Busy b) {
            throw ApiError.retryAfter(ErrorType.DECODER_BUSY, "the gateway is decoding too many photos right now; try again",
                    2);
        }
        try (memory) {
            return decodeWithin(img, info);
        }
    }

    private CheckedImage decodeWithin(UploadedImage img, ImageHeader info) {
        if (info.format() == ImageFormat.PNG && PngVerifier.handles(img.bytes())) {
            try {
                PngVerifier.verify(img.bytes(), info.width(), info.height());
            } catch (IllegalArgumentException e) {
                throw new ApiError(ErrorType.CORRUPT_IMAGE, img.field() + " is not a valid PNG: " + e.getMessage(),
                        img.field());
            }
            return new CheckedImage(img.bytes(), info.format(), info.width(), info.height(), sha256(img.bytes()));
        }
        return decodeFully(img, info);
    }

    private CheckedImage decodeFully(UploadedImage img, ImageHeader info) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(info.format().mediaType());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no image decoder for " + info.format());
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(img.bytes()))) {
            reader.setInput(in, true, true);
            // Decoders report truncated data as a warning and fill the rest with grey; that is corruption here.
            // The listener only records: throwing from it would unwind through native decoder code.
            String[] warning = new String[1];
            reader.addIIOReadWarningListener((source, w) -> {
                if (warning[0] == null) {
                    warning[0] = w;
                }
            });
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != info.width() || h != info.height()) {
                throw new CorruptImage("its header says " + info.width() + "x" + info.height()
                        + " but it decodes as " + w + "x" + h);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(info.pixelCount());
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage decoded = reader.read(0, param);
            if (decoded == null || decoded.getWidth() < 1) {
                throw new CorruptImage("it decodes to nothing");
            }
            if (warning[0] != null) {
                throw new CorruptImage(warning[0]);
            }
            return new CheckedImage(img.bytes(), info.format(), w, h, sha256(img.bytes()));
        } catch (CorruptImage e) {
            throw new ApiError(ErrorType.CORRUPT_IMAGE, img.field() + " is not a valid " + info.format().name()
                    + ": " + e.getMessage(), img.field());
        } catch (IOException | RuntimeException e) {
            throw new ApiError(ErrorType.CORRUPT_IMAGE, img.field() + " is not a valid " + info.format().name()
                    + " image", img.field());
        } finally {
            reader.dispose();
        }
    }

    static int subsampling(long pixels) {
        int step = 1;
        while (pixels / ((long) step * step) > VERIFY_PIXELS) {
            step++;
        }
        return step;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A decoder warning or mismatch that makes the file unacceptable. */
    private static final class CorruptImage extends RuntimeException {
        CorruptImage(String message) {
            super(message, null, false, false);
        }
    }
}
