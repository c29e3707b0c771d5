package io.photomaker.cli;

import io.photomaker.common.config.Settings;
import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.job.InputLimits;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobRequestValidator;
import io.photomaker.common.job.RequestViolation;
import io.photomaker.common.json.Json;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.output.ImageEncoder;
import io.photomaker.worker.output.OutputFormat;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.GenerationRecorder;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import io.photomaker.worker.pipeline.dump.TensorDump;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import io.photomaker.worker.settings.WorkerSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@code generate}: the whole pipeline in this process, without Kafka or S3. Every job field is a flag
 * ({@link JobRequestFlags}) and gets the API's defaults and checks; the PNGs go to {@code --out} (default
 * {@code ./out}) as {@code generate-<seed>-<k>.png} (or the {@code --output-format} asked for);
 * {@code --dump-tensors DIR} writes every tensor on the way.
 * Fields that only mean something to the service (stored identities, webhooks, deadlines) are refused.
 * {@code --tiny} runs the bundled tiny models where the launcher provides them (./photomaker).
 */
public final class GenerateCommand implements Command {

    /** Job fields that need the running service (stored identities, webhooks, deadlines, the identity check). */
    static final Set<String> SERVICE_ONLY = Set.of("identity-ids", "deadline-seconds", "webhook", "webhook-events",
            "min-identity-similarity", "max-regenerations");

    private final ServiceCommands.ModelBuilder tinyModels;

    /** A generate command; with {@code tinyModels} non-null, {@code --tiny} builds a model set with it. */
    public GenerateCommand(ServiceCommands.ModelBuilder tinyModels) {
        this.tinyModels = tinyModels;
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "run the pipeline in-process: --models DIR" + (tinyModels == null ? "" : " | --tiny")
                + ", --image PATH (repeat), --prompt \"a woman img ...\","
                + " every job field as --field-name, [--out DIR] [--dump-tensors DIR]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("tiny");
    }

    @Override
    public Set<String> options() {
        Set<String> options = new LinkedHashSet<>(List.of("models", "image", "out", "dump-tensors"));
        options.addAll(JobRequestFlags.names());
        return options;
    }

    @Override
    public int run(Args a) throws Exception {
        Path models = models(a);
        JobRequest request = request(a);
        List<BufferedImage> photos = photos(a);
        Path out = Path.of(a.get("out", "out"));
        Path tiny = null;
        try {
            if (models == null) {
                tiny = Files.createTempDirectory("photomaker-tiny-models");
                tinyModels.build(tiny);
                models = tiny;
            }
            return generate(request, photos, models, out, a.get("dump-tensors").map(Path::of).orElse(null));
        } catch (PipelineException e) {
            System.err.println();
            System.err.println("photomaker generate: " + e.type() + (e.field() == null ? "" : " (" + e.field() + ")")
                    + ": " + e.getMessage());
            return e.retryable() ? 1 : 2;
        } finally {
            if (tiny != null) {
                deleteTree(tiny);
            }
        }
    }

    private static int generate(JobRequest r, List<BufferedImage> photos, Path models, Path out, Path dumpDir)
            throws IOException {
        CudaGrid grid = CudaGrid.from(Settings.fromEnvironment(java.util.Map.of()));
        System.err.printf("seed=%d steps=%d size=%dx%d outputs=%d scheduler=%s noise=%s/%s%n", r.seed(), r.numSteps(),
                r.width(), r.height(), r.numOutputs(), r.scheduler(), r.noise(), r.noiseDtype());
        try (PhotoMakerPipeline pipeline = PhotoMakerPipeline.load(models, ExecutionConfig.fromEnv());
                TensorDump dump = dumpDir == null ? null : TensorDump.create(dumpDir)) {
            String served = pipeline.manifest().servedModel();
            if (r.model() != null && !r.model().equals(served)) {
                throw new Args.UsageException("--model " + r.model() + " but " + models + " holds " + served);
            }
            GenerationRecorder recorder = dump == null ? GenerationRecorder.NONE : dump;
            List<float[]> ids = pipeline.encodeIdImages(photos, recorder);
            GenerationResult result = pipeline.generate(GenerationRequest.of(r, ids, grid), GenerateCommand::progress,
                    null, recorder);
            System.err.println();
            Files.createDirectories(out);
            OutputFormat format = OutputFormat.of(r.outputFormat());
            for (int k = 0; k < result.images().size(); k++) {
                GeneratedImage image = result.images().get(k);
                Path file = out.resolve("generate-" + image.seed() + "-" + k + "." + format.extension());
                Files.write(file, ImageEncoder.encode(image.image(), format, r.outputQuality()));
                System.out.println(file);
            }
            if (dump != null) {
                System.err.println("tensors written to " + dump.directory());
            }
        }
        return 0;
    }

    /** The job the flags describe, with the API's defaults, checked as the API checks it. */
    static JobRequest request(Args a) {
        for (String field : SERVICE_ONLY) {
            if (a.get(field).isPresent()) {
                throw new Args.UsageException("--" + field + " applies to jobs of the running service (use submit);"
                        + " generate runs in this process");
            }
        }
        if (a.get("prompt").isEmpty()) {
            throw new Args.UsageException("--prompt is required, e.g. --prompt \"a photo of a woman img\"");
        }
        JobRequest raw = Json.mapper().convertValue(JobRequestFlags.toJson(a), JobRequest.class);
        JobRequest request = raw.withDefaults(ThreadLocalRandom.current().nextLong(0, 1L << 32));
        List<RequestViolation> problems = JobRequestValidator.violations(request);
        if (!problems.isEmpty()) {
            RequestViolation first = problems.get(0);
            throw new Args.UsageException("--" + first.field().replace('_', '-') + ": " + first.message());
        }
        return request;
    }

    private static List<BufferedImage> photos(Args a) throws IOException {
        List<String> paths = a.all("image");
        if (paths.isEmpty()) {
            throw new Args.UsageException("at least one --image PATH (a photo of the person) is required");
        }
        List<BufferedImage> photos = new ArrayList<>();
        for (String p : paths) {
            Path file = Path.of(p);
            if (!Files.isRegularFile(file)) {
                throw new Args.UsageException("no such image file: " + p);
            }
            try {
                photos.add(ImageDecoder.decode(Files.readAllBytes(file), InputLimits.DEFAULTS.maxImagePixels()));
            } catch (ImageRejected e) {
                throw new Args.UsageException(p + ": " + e.getMessage());
            }
        }
        return photos;
    }

    /** The model directory, or null for the tiny models. */
    private Path models(Args a) {
        boolean tiny = a.flag("tiny");
        if (tiny && a.get("models").isPresent()) {
            throw new Args.UsageException("give either --models DIR or --tiny, not both");
        }
        if (tiny && tinyModels == null) {
            throw new Args.UsageException("--tiny needs the development launcher (./photomaker)");
        }
        if (tiny) {
            return null;
        }
        return a.get("models").map(Path::of).or(() -> Settings.fromEnvironment(java.util.Map.of())
                        .optional(WorkerSettings.MODELS_DIR).map(Path::of))
                .orElseThrow(() -> new Args.UsageException("no models: pass --models DIR (an exported model directory)"
                        + (tinyModels == null ? "" : " or --tiny")));
    }

    private static void progress(int step, int total) {
        System.err.print("\r" + ClientCommands.bar(step, total));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
