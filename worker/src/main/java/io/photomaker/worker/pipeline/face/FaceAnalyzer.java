package io.photomaker.worker.pipeline.face;

import io.photomaker.worker.onnx.FaceDetector;
import io.photomaker.worker.onnx.FaceRecognizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and embeds faces with an SCRFD detector and an ArcFace recognizer, as PhotoMaker V2's demo does with
 * InsightFace: detect at 640x640, and when nothing is found try the smaller sizes 576, 512, 448, 384, 320 and
 * 256 in turn; the face used is the one with the highest score (not the largest); its five keypoints align a
 * 112x112 crop whose raw ArcFace embedding (not normalised) describes the face. Calls are serialised.
 */
public final class FaceAnalyzer {

    /** The detector sizes tried in order until a face is found. */
    public static final List<Integer> DETECTION_SIZES = List.of(640, 576, 512, 448, 384, 320, 256);

    /** Everything found at the first size that found anything (or at the last size tried). */
    public record Detection(List<DetectedFace> faces, int size, double scale, FaceDetector.Run run) {
        public Optional<DetectedFace> best() {
            return faces.isEmpty() ? Optional.empty() : Optional.of(faces.get(0));
        }
    }

    /** A face with its aligned crop and raw embedding. */
    public record EmbeddedFace(DetectedFace face, RgbRaster crop, float[] embedding) {
    }

    /** Detection at one size (the detector network plus decoding). */
    interface SizedDetection {
        Detection at(RgbRaster picture, int size);
    }

    private final FaceRecognizer recognizer;
    private final List<Integer> sizes;
    private final SizedDetection detection;

    public FaceAnalyzer(FaceDetector detector, FaceRecognizer recognizer) {
        this(recognizer, detector.fixedSize() > 0 ? List.of(detector.fixedSize()) : DETECTION_SIZES,
                (picture, size) -> run(detector, picture, size));
    }

    FaceAnalyzer(FaceRecognizer recognizer, List<Integer> sizes, SizedDetection detection) {
        this.recognizer = recognizer;
        this.sizes = List.copyOf(sizes);
        this.detection = detection;
    }

    private static Detection run(FaceDetector detector, RgbRaster picture, int size) {
        Letterbox box = Letterbox.of(picture, size);
        FaceDetector.Run run = detector.run(box.blob(), size);
        List<DetectedFace> faces = ScrfdDecoder.faces(run.outputs(), size, size, box.scale());
        return new Detection(faces, size, box.scale(), run);
    }

    /** Width of a face embedding. */
    public int embeddingWidth() {
        return recognizer.embeddingWidth();
    }

    /** The sizes this detector is tried at: {@link #DETECTION_SIZES}, or only its fixed size. */
    public List<Integer> detectionSizes() {
        return sizes;
    }

    /** Detects faces, retrying smaller detector sizes while none is found. */
    public synchronized Detection detect(RgbRaster picture) {
        Detection last = null;
        for (int size : detectionSizes()) {
            last = detectAt(picture, size);
            if (!last.faces().isEmpty()) {
                return last;
            }
        }
        return last;
    }

    /** Detects faces at one detector size. */
    public synchronized Detection detectAt(RgbRaster picture, int size) {
        return detection.at(picture, size);
    }

    /** The highest-scoring face (after the size retries) with its crop and embedding, if any face is found. */
    public synchronized Optional<EmbeddedFace> firstFace(RgbRaster picture) {
        return detect(picture).best().map(face -> embed(picture, face));
    }

    /** Aligns and embeds one detected face of {@code picture}. */
    public synchronized EmbeddedFace embed(RgbRaster picture, DetectedFace face) {
        RgbRaster crop = FaceAlignment.crop(picture, face);
        return new EmbeddedFace(face, crop, recognizer.embed(FaceAlignment.recognizerInput(crop)));
    }

    /** Every face of a detection with its crop and embedding. */
    public synchronized List<EmbeddedFace> embedAll(RgbRaster picture, Detection detection) {
        List<EmbeddedFace> out = new ArrayList<>();
        for (DetectedFace face : detection.faces()) {
            out.add(embed(picture, face));
        }
        return out;
    }
}
