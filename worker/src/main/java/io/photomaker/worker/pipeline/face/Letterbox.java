package io.photomaker.worker.pipeline.face;

/**
 * The face detector's input, as InsightFace's {@code SCRFD.detect} prepares it: the picture resized with its
 * aspect kept so that it fits a {@code size x size} square (the long side becomes {@code size}, the short side
 * {@code int(...)} of its scaled length), pasted at the top left of a black square, then turned into a blob
 * {@code [1, 3, size, size]} in RGB order with {@code (x - 127.5) / 128}.
 *
 * @param image the black square with the resized picture at its top left
 * @param scale resized height / original height: divide detections by it to get original pixels
 */
public record Letterbox(RgbRaster image, double scale) {

    /** Blob mean and standard deviation of the detector (InsightFace SCRFD: 127.5 and 128). */
    public static final float MEAN = 127.5f;
    public static final float STD = 128f;

    /** Letterboxes {@code picture} into a {@code size x size} square. */
    public static Letterbox of(RgbRaster picture, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("detector size must be positive, was " + size);
        }
        double imageRatio = (double) picture.height() / picture.width();
        int newWidth;
        int newHeight;
        if (imageRatio > 1.0) {
            newHeight = size;
            newWidth = (int) (newHeight / imageRatio);
        } else {
            newWidth = size;
            newHeight = (int) (newWidth * imageRatio);
        }
        newWidth = Math.max(1, newWidth);
        newHeight = Math.max(1, newHeight);
        double scale = (double) newHeight / picture.height();
        RgbRaster resized = BilinearSampling.resize(picture, newWidth, newHeight);
        byte[] square = new byte[size * size * 3];
        for (int y = 0; y < newHeight; y++) {
            System.arraycopy(resized.rgb(), y * newWidth * 3, square, y * size * 3, newWidth * 3);
        }
        return new Letterbox(new RgbRaster(size, size, square), scale);
    }

    /** The detector's input tensor [1, 3, size, size]: RGB planes, {@code (x - 127.5) / 128}. */
    public float[] blob() {
        return planes(image, MEAN, STD);
    }

    /** Channel-first planes of a raster, each sample mapped to {@code (x - mean) / std} in float32. */
    public static float[] planes(RgbRaster raster, float mean, float std) {
        int plane = raster.width() * raster.height();
        float[] out = new float[3 * plane];
        byte[] rgb = raster.rgb();
        float inverse = 1f / std;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = ((rgb[i * 3 + c] & 0xFF) - mean) * inverse;
            }
        }
        return out;
    }
}
