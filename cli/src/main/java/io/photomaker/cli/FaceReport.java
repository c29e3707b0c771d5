package io.photomaker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.json.Json;
import io.photomaker.worker.onnx.FaceDetector;
import io.photomaker.worker.pipeline.face.DetectedFace;
import io.photomaker.worker.pipeline.face.FaceAlignment;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import io.photomaker.worker.pipeline.face.RgbRaster;
import io.photomaker.worker.tensors.NpyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * One picture through the face path, for {@code photomaker faces}: the JSON line describing what was found,
 * the aligned crops written next to the picture ({@code NAME.face0.png}, ...), and with a dump directory the
 * tensors under {@code DIR/NAME/}: {@code detector_input.npy} [1, 3, S, S], {@code detector_output_0..8.npy}
 * (scores, boxes, keypoints at strides 8, 16, 32), and per face {@code recognizer_input_K.npy} [1, 3, 112, 112]
 * and {@code embedding_K.npy} [E].
 */
final class FaceReport {
    /** Largest picture decoded (a 48-megapixel camera frame). */
    private static final long MAX_PIXELS = 48_000_000L;

    /** One picture's result: its JSON line, and whether the picture could not be read. */
    record Line(String json, boolean failed) {
    }

    private final FaceAnalyzer analyzer;
    private final Optional<Path> dump;

    FaceReport(FaceAnalyzer analyzer, Optional<Path> dump) {
        this.analyzer = analyzer;
        this.dump = dump;
    }

    Line analyse(Path image) throws IOException {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("image", image.toString());
        RgbRaster picture;
        try {
            picture = RgbRaster.of(ImageDecoder.decode(Files.readAllBytes(image), MAX_PIXELS));
        } catch (ImageRejected | IOException e) {
            ObjectNode error = line.putObject("error");
            error.put("type", e instanceof ImageRejected r ? r.type() : "unreadable_file");
            error.put("message", e.getMessage());
            return new Line(Json.string(line), true);
        }
        line.put("width", picture.width());
        line.put("height", picture.height());
        FaceAnalyzer.Detection detection = analyzer.detect(picture);
        line.put("detector_size", detection.size());
        List<FaceAnalyzer.EmbeddedFace> faces = analyzer.embedAll(picture, detection);
        ArrayNode list = line.putArray("faces");
        String stem = stem(image);
        for (int k = 0; k < faces.size(); k++) {
            Path crop = image.resolveSibling(stem + ".face" + k + ".png");
            ImageIO.write(faces.get(k).crop().toImage(), "png", crop.toFile());
            ObjectNode f = list.addObject();
            describe(f, faces.get(k).face());
            f.put("crop", crop.toString());
        }
        if (dump.isPresent()) {
            writeTensors(dump.get().resolve(stem), detection.run(), faces);
            line.put("tensors", dump.get().resolve(stem).toString());
        }
        return new Line(Json.string(line), false);
    }

    private static void describe(ObjectNode f, DetectedFace face) {
        ArrayNode box = f.putArray("box");
        box.add(face.x1()).add(face.y1()).add(face.x2()).add(face.y2());
        f.put("score", face.score());
        ArrayNode points = f.putArray("keypoints");
        float[] k = face.keypoints();
        for (int i = 0; i < DetectedFace.KEYPOINTS; i++) {
            points.addArray().add(k[2 * i]).add(k[2 * i + 1]);
        }
    }

    private static void writeTensors(Path dir, FaceDetector.Run run, List<FaceAnalyzer.EmbeddedFace> faces)
            throws IOException {
        NpyWriter.write(dir.resolve("detector_input.npy"), run.input(), run.inputShape());
        for (int i = 0; i < run.outputs().length; i++) {
            NpyWriter.write(dir.resolve("detector_output_" + i + ".npy"), run.outputs()[i], run.outputShapes()[i]);
        }
        for (int k = 0; k < faces.size(); k++) {
            NpyWriter.write(dir.resolve("recognizer_input_" + k + ".npy"),
                    FaceAlignment.recognizerInput(faces.get(k).crop()), 1, 3, FaceAlignment.SIZE, FaceAlignment.SIZE);
            float[] embedding = faces.get(k).embedding();
            NpyWriter.write(dir.resolve("embedding_" + k + ".npy"), embedding, embedding.length);
        }
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
