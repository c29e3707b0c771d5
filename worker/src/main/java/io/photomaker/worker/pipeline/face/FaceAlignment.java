package io.photomaker.worker.pipeline.face;

/**
 * Cuts a face out for the recognizer as InsightFace's {@code face_align.norm_crop} does: the similarity
 * transform (rotation, uniform scale, translation; Umeyama's least-squares estimate) that carries the five
 * detected keypoints closest to the ArcFace template, then a bilinear warp into a 112x112 crop with a black
 * border.
 */
public final class FaceAlignment {

    /** Side of the aligned crop the recognizer takes. */
    public static final int SIZE = 112;
    /** Where ArcFace expects the keypoints in a 112x112 crop (x, y pairs in keypoint order). */
    public static final double[] ARCFACE_TEMPLATE = {
        38.2946, 51.6963,
        73.5318, 51.5014,
        56.0252, 71.7366,
        41.5493, 92.3655,
        70.7299, 92.2041,
    };

    private FaceAlignment() {
    }

    /** The 112x112 crop of {@code face} from {@code picture}. */
    public static RgbRaster crop(RgbRaster picture, DetectedFace face) {
        return BilinearSampling.warpAffine(picture, matrix(face.keypoints()), SIZE, SIZE);
    }

    /** The 2x3 map from picture pixels to crop pixels for these keypoints. */
    public static double[] matrix(float[] keypoints) {
        double[] src = new double[keypoints.length];
        for (int i = 0; i < src.length; i++) {
            src[i] = keypoints[i];
        }
        return similarity(src, ARCFACE_TEMPLATE);
    }

    /**
     * The least-squares similarity transform (no reflection) from points {@code src} to {@code dst} (x, y pairs),
     * as a row-major 2x3 matrix: Umeyama's estimate with scale, which in two dimensions has the closed form
     * {@code [[a, -b], [b, a]] / sum|s|^2} over the centred points, with {@code a = sum(s . d)} and
     * {@code b = sum(s x d)}, plus the translation that maps the centroid of src to that of dst.
     *
     * @throws IllegalArgumentException when the source points all coincide
     */
    public static double[] similarity(double[] src, double[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("need the same number (at least 2) of x, y pairs on both sides");
        }
        int n = src.length / 2;
        double sx = 0;
        double sy = 0;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[2 * i];
            sy += src[2 * i + 1];
            dx += dst[2 * i];
            dy += dst[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double a = 0;
        double b = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double px = src[2 * i] - sx;
            double py = src[2 * i + 1] - sy;
            double qx = dst[2 * i] - dx;
            double qy = dst[2 * i + 1] - dy;
            a += px * qx + py * qy;
            b += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("the source points all coincide: no similarity transform");
        }
        double c = a / norm;
        double s = b / norm;
        return new double[] {c, -s, dx - (c * sx - s * sy), s, c, dy - (s * sx + c * sy)};
    }

    /** The recognizer's input tensor [1, 3, 112, 112] of a crop: RGB planes, {@code (x - 127.5) / 127.5}. */
    public static float[] recognizerInput(RgbRaster crop) {
        return Letterbox.planes(crop, 127.5f, 127.5f);
    }
}
