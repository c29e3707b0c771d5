package io.photomaker.cli;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.FaceDetector;
import io.photomaker.worker.onnx.FaceRecognizer;
import io.photomaker.worker.onnx.SessionFactory;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code faces --models DIR IMAGE...} (or {@code --tiny} in the development launcher, which builds a tiny
 * PhotoMaker V2 set): runs the model directory's face detector and
 * recognizer on each picture as the worker does for PhotoMaker V2 and prints one JSON line per picture (box,
 * score and five keypoints of every face, the detector size that found them), writing each face's aligned
 * 112x112 crop next to the picture; {@code --dump-tensors DIR} also writes the detector's input and nine raw
 * outputs, the recognizer inputs and the embeddings as .npy files. For "no face detected" questions.
 */
public final class FacesCommand implements Command {

    private final ServiceCommands.ModelBuilder tinyModels;

    /** The command; with {@code tinyModels} non-null, {@code --tiny} builds a model set with face models with it. */
    public FacesCommand(ServiceCommands.ModelBuilder tinyModels) {
        this.tinyModels = tinyModels;
    }

    @Override
    public String name() {
        return "faces";
    }

    @Override
    public String summary() {
        return "detect and align faces as PhotoMaker V2 does: --models DIR" + (tinyModels == null ? "" : "|--tiny")
                + " IMAGE... [--dump-tensors DIR]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("tiny");
    }

    @Override
    public Set<String> options() {
        return Set.of("models", "dump-tensors");
    }

    @Override
    public int run(Args a) throws Exception {
        return run(a, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    int run(Args a, PrintStream out) throws Exception {
        List<Path> images = a.positional().stream().map(Path::of).toList();
        if (images.isEmpty()) {
            throw new Args.UsageException("name at least one picture: faces --models DIR photo.jpg ...");
        }
        Optional<Path> dump = a.get("dump-tensors").map(Path::of);
        Path tiny = null;
        try {
            Path models;
            if (a.flag("tiny")) {
                if (tinyModels == null) {
                    throw new Args.UsageException("--tiny needs the development launcher (./photomaker); give --models DIR");
                }
                tiny = Files.createTempDirectory("photomaker-tiny-faces");
                tinyModels.build(tiny);
                models = tiny;
            } else {
                models = Path.of(a.get("models").orElseThrow(() -> new Args.UsageException("--models DIR or --tiny is required")));
            }
            return analyse(models, images, dump, out);
        } finally {
            if (tiny != null) {
                deleteTree(tiny);
            }
        }
    }

    private static int analyse(Path models, List<Path> images, Optional<Path> dump, PrintStream out) throws IOException {
        ModelManifest manifest = ModelManifest.read(models);
        if (!manifest.hasFaceModels()) {
            throw new Args.UsageException(models + " has no face models (manifest models.face_detector and"
                    + " models.face_recognizer); PhotoMaker V2 exports have them");
        }
        manifest.verifyFiles(models);
        SessionFactory sessions = SessionFactory.create(ExecutionConfig.fromEnv());
        try (FaceDetector detector = new FaceDetector(sessions, manifest.modelPath(models, ModelRole.FACE_DETECTOR));
             FaceRecognizer recognizer = new FaceRecognizer(sessions, manifest.modelPath(models, ModelRole.FACE_RECOGNIZER))) {
            FaceReport report = new FaceReport(new FaceAnalyzer(detector, recognizer), dump);
            int failures = 0;
            for (Path image : images) {
                FaceReport.Line line = report.analyse(image);
                out.println(line.json());
                failures += line.failed() ? 1 : 0;
            }
            return failures == 0 ? 0 : 1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
