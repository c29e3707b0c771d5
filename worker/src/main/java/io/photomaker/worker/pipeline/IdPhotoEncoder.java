package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.worker.onnx.PhotoMakerModels;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import io.photomaker.worker.pipeline.face.RgbRaster;
import io.photomaker.worker.pipeline.image.ClipImagePreprocessor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes ID photos for either PhotoMaker version, caching per picture (by the sha256 of its pixels):
 * <ul>
 * <li>with face models, each photo's highest-scoring face is found and embedded with ArcFace first;</li>
 * <li>photomaker-v1: the V1 ID encoder on every photo (a photo without a face is still used);</li>
 * <li>photomaker-v2: photos without a face are dropped (from the CLIP list and the face list alike, unlike the
 * reference, which drops them from one list and then fails on the mismatch); when no photo has a face the
 * encoding fails with {@code no_face_detected}, naming the photos; the others go through the V2 ID encoder
 * with their face embeddings.</li>
 * </ul>
 * Not thread-safe: the pipeline serialises calls.
 */
final class IdPhotoEncoder {

    /** Marks a cached "no face in this picture". */
    private static final float[] NO_FACE = new float[0];

    private final PhotoMakerModels models;
    private final FaceAnalyzer faces;
    private final IdEmbeddingCache idCache;
    private final IdEmbeddingCache faceCache;

    IdPhotoEncoder(PhotoMakerModels models, FaceAnalyzer faces, IdEmbeddingCache idCache, int capacity) {
        this.models = models;
        this.faces = faces;
        this.idCache = idCache;
        this.faceCache = new IdEmbeddingCache(capacity);
    }

    /** Each photo's cache key and CLIP input; uses no model, so it may run beside a generation. */
    PreparedIdImages prepare(List<BufferedImage> images) {
        int size = models.manifest().dims().idImageSize();
        int perImage = 3 * size * size;
        float[] pixels = new float[images.size() * perImage];
        for (int i = 0; i < images.size(); i++) {
            ClipImagePreprocessor.toTensor(images.get(i), size, pixels, i * perImage);
        }
        return new PreparedIdImages(images, images.stream().map(IdEmbeddingCache::keyOf).toList(), pixels, perImage);
    }

    IdPhotos encode(PreparedIdImages prepared) {
        List<BufferedImage> images = prepared.images();
        List<String> keys = prepared.keys();
        List<float[]> faceEmbeddings = new ArrayList<>();
        List<Integer> withoutFace = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            float[] face = faces == null ? null : faceOf(keys.get(i), images.get(i));
            if (face != null && face.length == 0) {
                withoutFace.add(i);
            } else if (face != null) {
                faceEmbeddings.add(face);
            }
            if (!isV2() || (face != null && face.length > 0)) {
                used.add(i);
            }
        }
        if (used.isEmpty()) {
            throw PipelineException.badInput(ErrorType.NO_FACE_DETECTED, "id_images",
                    "No face was detected in ID photo " + String.join(", ",
                            withoutFace.stream().map(i -> Integer.toString(i + 1)).toList())
                            + "; use photos that show the face clearly, from the front.");
        }
        return new IdPhotos(idEmbeddings(prepared, keys, used, faceEmbeddings), faceEmbeddings, withoutFace);
    }

    private boolean isV2() {
        return models.idEncoderV2() != null;
    }

    private float[] faceOf(String key, BufferedImage image) {
        float[] cached = faceCache.get(key).orElse(null);
        if (cached == null) {
            cached = faces.firstFace(RgbRaster.of(image)).map(FaceAnalyzer.EmbeddedFace::embedding).orElse(NO_FACE);
            faceCache.put(key, cached);
        }
        return cached;
    }

    /** ID embeddings of the {@code used} photos; {@code faceEmbeddings} are theirs, in order, for v2. */
    private List<float[]> idEmbeddings(PreparedIdImages prepared, List<String> keys, List<Integer> used,
                                       List<float[]> faceEmbeddings) {
        List<float[]> out = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int u = 0; u < used.size(); u++) {
            float[] cached = idCache.get(keys.get(used.get(u))).orElse(null);
            out.add(cached);
            if (cached == null) {
                missing.add(u);
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> computed = compute(prepared, used, missing, faceEmbeddings);
            for (int m = 0; m < missing.size(); m++) {
                int u = missing.get(m);
                idCache.put(keys.get(used.get(u)), computed.get(m));
                out.set(u, computed.get(m));
            }
        }
        return out;
    }

    private List<float[]> compute(PreparedIdImages prepared, List<Integer> used, List<Integer> missing,
                                  List<float[]> faceEmbeddings) {
        int perImage = prepared.valuesPerImage();
        float[] pixels = new float[missing.size() * perImage];
        for (int m = 0; m < missing.size(); m++) {
            System.arraycopy(prepared.pixels(), used.get(missing.get(m)) * perImage, pixels, m * perImage, perImage);
        }
        if (!isV2()) {
            return models.idEncoder().encode(pixels, missing.size());
        }
        int faceWidth = models.idEncoderV2().faceWidth();
        float[] faceRows = new float[missing.size() * faceWidth];
        for (int m = 0; m < missing.size(); m++) {
            System.arraycopy(faceEmbeddings.get(missing.get(m)), 0, faceRows, m * faceWidth, faceWidth);
        }
        return models.idEncoderV2().encode(pixels, faceRows, missing.size());
    }
}
