package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.job.InputLimits;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.common.text.ClipTokenizer;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.GpuMemory;
import io.photomaker.worker.onnx.PhotoMakerModels;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import io.photomaker.worker.pipeline.guidance.SdxlConditioning;
import io.photomaker.worker.pipeline.image.VaeImageConverter;
import io.photomaker.worker.pipeline.prompt.PromptTokenizer;
import io.photomaker.worker.pipeline.prompt.PromptTokens;
import io.photomaker.worker.pipeline.schedule.Scheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import io.photomaker.worker.pipeline.schedule.SchedulerConfigKeys;
import io.photomaker.worker.stop.StopSignal;
import io.photomaker.worker.stop.Stopped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PhotoMaker SDXL pipeline on ONNX Runtime: ID images to per-image ID embeddings (cached; V1, or V2 with
 * face detection and ArcFace, as the manifest says), and prompt plus stacked ID embeddings to decoded images.
 * Owns the models and the tokenizer of one model directory; load it once per process. Calls are serialised (one
 * generation at a time). A request's outputs go through the UNet together, as many per call as its
 * {@link UnetBatchPlan} allows.
 */
public final class PhotoMakerPipeline implements AutoCloseable {

    /** ID embeddings kept across jobs. */
    public static final int ID_CACHE_CAPACITY = 256;

    private final PhotoMakerModels models;
    private final PromptTokenizer promptTokenizer;
    private final PromptEncoder promptEncoder;
    private final SchedulerConfig schedulerConfig;
    private final IdEmbeddingCache idCache = new IdEmbeddingCache(ID_CACHE_CAPACITY);
    private final Denoiser denoiser;
    private final FaceAnalyzer faces;
    private final IdPhotoEncoder idPhotos;
    private final UnetBatchPlan batchPlan;

    private PhotoMakerPipeline(PhotoMakerModels models, PromptTokenizer promptTokenizer, SchedulerConfig schedulerConfig,
            UnetBatchPlan batchPlan) {
        this.models = models;
        this.batchPlan = batchPlan;
        this.promptTokenizer = promptTokenizer;
        this.schedulerConfig = schedulerConfig;
        this.promptEncoder = new PromptEncoder(models.textEncoder1(), models.textEncoder2(), models.fuse(), models.manifest());
        this.denoiser = new Denoiser(models.unet());
        this.faces = models.hasFaceModels() ? new FaceAnalyzer(models.faceDetector(), models.faceRecognizer()) : null;
        this.idPhotos = new IdPhotoEncoder(models, faces, idCache, ID_CACHE_CAPACITY);
    }

    /**
     * Verifies and loads a model directory.
     *
     * @throws PipelineException (not retryable) when the directory cannot be used
     */
    public static PhotoMakerPipeline load(Path modelsDir, ExecutionConfig config) {
        PhotoMakerModels models;
        try {
            models = PhotoMakerModels.load(modelsDir, config);
        } catch (RuntimeException e) {
            throw PipelineException.from(e);
        }
        try {
            ModelManifest manifest = models.manifest();
            ModelManifest.TokenizerFiles files = manifest.tokenizer();
            ClipTokenizer tokenizer = ClipTokenizer.fromHuggingFace(modelsDir.resolve(files.vocab()),
                    modelsDir.resolve(files.merges()));
            var promptTokenizer = new PromptTokenizer(tokenizer, manifest.triggerWord(), manifest.tokensPerImage(),
                    files.padId1(), files.padId2());
            SchedulerConfig schedulerConfig = SchedulerConfigKeys.read(manifest.scheduler().values());
            return new PhotoMakerPipeline(models, promptTokenizer, schedulerConfig, batchPlan(models, config));
        } catch (IOException | RuntimeException e) {
            models.close();
            throw new PipelineException(ErrorType.UNSUPPORTED_MODEL, null,
                    modelsDir + ": cannot set up the tokenizer or scheduler: " + e.getMessage(), false, e);
        }
    }

    private static UnetBatchPlan batchPlan(PhotoMakerModels models, ExecutionConfig config) {
        boolean onGpu = models.sessions().provider() == ExecutionConfig.Provider.CUDA;
        return new UnetBatchPlan(config.unetBatchLimit(), onGpu,
                onGpu && config.unetBatchLimit() == 0 ? GpuMemory.available(config.cuda()) : java.util.OptionalLong.empty());
    }

    /** How many outputs share a UNet call. */
    public UnetBatchPlan batchPlan() {
        return batchPlan;
    }

    public PhotoMakerModels models() {
        return models;
    }

    public ModelManifest manifest() {
        return models.manifest();
    }

    public PromptTokenizer promptTokenizer() {
        return promptTokenizer;
    }

    public PromptEncoder promptEncoder() {
        return promptEncoder;
    }

    public IdEmbeddingCache idEmbeddingCache() {
        return idCache;
    }

    /** The face detector and recognizer, when the model directory has them (always for photomaker-v2). */
    public Optional<FaceAnalyzer> faces() {
        return Optional.ofNullable(faces);
    }

    /**
     * One ID embedding per image, in order (id_embed_dim * tokens_per_image floats each); images seen
     * before come from the cache. photomaker-v2 leaves out images without a face (see {@link #encodeIdPhotos}).
     */
    public List<float[]> encodeIdImages(List<BufferedImage> images) {
        return encodeIdPhotos(images).idEmbeddings();
    }

    /** As {@link #encodeIdImages(List)}, with {@code recorder} seeing the ID models' calls (cache misses only). */
    public List<float[]> encodeIdImages(List<BufferedImage> images, GenerationRecorder recorder) {
        return encodeIdPhotos(prepareIdImages(images), recorder).idEmbeddings();
    }

    /**
     * The ID embeddings of the photos and, with face models, their face embeddings and which photos show no
     * face; photomaker-v2 uses only photos with a face.
     *
     * @throws PipelineException no_id_images, or no_face_detected (photomaker-v2, no photo has a face)
     */
    public IdPhotos encodeIdPhotos(List<BufferedImage> images) {
        return encodeIdPhotos(prepareIdImages(images));
    }

    /**
     * The CPU half of ID encoding, which needs no model and may run beside a generation: each photo's cache
     * key and its CLIP input.
     *
     * @throws PipelineException no_id_images
     */
    public PreparedIdImages prepareIdImages(List<BufferedImage> images) {
        if (images == null || images.isEmpty()) {
            throw PipelineException.badInput(ErrorType.NO_ID_IMAGES, "id_images", "At least one ID image of the person is needed.");
        }
        try {
            return idPhotos.prepare(images);
        } catch (RuntimeException e) {
            throw PipelineException.from(e);
        }
    }

    /** As {@link #encodeIdPhotos(List)} for photos prepared by {@link #prepareIdImages}. */
    public IdPhotos encodeIdPhotos(PreparedIdImages prepared) {
        return encodeIdPhotos(prepared, GenerationRecorder.NONE);
    }

    /** As {@link #encodeIdPhotos(PreparedIdImages)}, with {@code recorder} seeing the ID models' calls. */
    public synchronized IdPhotos encodeIdPhotos(PreparedIdImages prepared, GenerationRecorder recorder) {
        models.setRecorder(recorder == GenerationRecorder.NONE ? null : recorder);
        recorder.phase("id_images", -1);
        try {
            return idPhotos.encode(prepared);
        } catch (RuntimeException e) {
            throw PipelineException.from(e);
        } finally {
            models.setRecorder(null);
        }
    }

    /**
     * Decodes uploaded ID photos (JPEG, PNG, WebP; EXIF orientation applied) and encodes them as
     * {@link #encodeIdImages} does.
     *
     * @throws PipelineException unsupported_image_format, corrupt_image or image_too_large (not retryable)
     */
    public List<float[]> encodeIdImageFiles(List<byte[]> files) {
        if (files == null || files.isEmpty()) {
            throw PipelineException.badInput(ErrorType.NO_ID_IMAGES, "id_images", "At least one ID image of the person is needed.");
        }
        List<BufferedImage> images;
        try {
            images = files.stream().map(bytes -> ImageDecoder.decode(bytes,
                    InputLimits.DEFAULTS.maxImagePixels())).toList();
        } catch (RuntimeException e) {
            throw PipelineException.from(e);
        }
        return encodeIdImages(images);
    }

    /**
     * Generates {@code request.numOutputs()} images from one noise draw of all outputs (output i = slice i),
     * denoising as many outputs per UNet call as the {@link UnetBatchPlan} allows.
     *
     * @throws Stopped when {@code stop} gives a reason at a step boundary
     * @throws PipelineException for bad input (not retryable) and runtime failures (retryable)
     */
    public GenerationResult generate(GenerationRequest request, ProgressListener listener, StopSignal stop) {
        return generate(request, listener, stop, GenerationRecorder.NONE);
    }

    /** As {@link #generate(GenerationRequest, ProgressListener, StopSignal)}, watched by {@code recorder}. */
    public synchronized GenerationResult generate(GenerationRequest request, ProgressListener listener,
            StopSignal stop, GenerationRecorder recorder) {
        models.setRecorder(recorder == GenerationRecorder.NONE ? null : recorder);
        try {
            return run(request, listener, stop, recorder);
        } catch (Stopped | PipelineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw PipelineException.from(e);
        } finally {
            models.setRecorder(null);
        }
    }

    private GenerationResult run(GenerationRequest request, ProgressListener listener, StopSignal stop,
            GenerationRecorder recorder) {
        ModelManifest.Dims dims = manifest().dims();
        int multiple = dims.imageSizeMultiple();
        if (request.width() % multiple != 0 || request.height() % multiple != 0) {
            throw PipelineException.badInput(ErrorType.INVALID_REQUEST, "width",
                    "width and height must be multiples of " + multiple + " for these models, were "
                            + request.width() + "x" + request.height());
        }
        checkIdEmbeddings(request.idEmbeddings());
        StyleTemplates.StyledPrompt styled = StyleTemplates.apply(request.style(), request.prompt(), request.negativePrompt());
        String negative = negativePrompt(request, styled);
        PromptTokens tokens = promptTokenizer.tokenize(styled.prompt(), negative, request.idEmbeddings().size());
        PromptConditioning prompts = promptEncoder.encodeAll(tokens, request.idEmbeddings(), recorder);
        var settings = new Denoiser.Settings(prompts,
                SdxlConditioning.timeIds(request.height(), request.width(), 0, 0, request.height(), request.width()),
                SdxlConditioning.startMergeStep(request.styleStrength(), request.steps()), request.guided(),
                (float) request.guidanceScale(), (float) request.guidanceRescale());

        var latents = new OutputLatents(request, dims, schedulerConfig);
        recorder.describe(facts(request, styled.prompt(), negative, settings, latents));
        latents.draw(recorder);
        var steps = new Denoiser.Steps(listener, stop, request.steps() * request.numOutputs());
        int group = batchPlan.outputsPerCall(latents.height(), latents.width(), models.unet().maxOutputsPerCall());
        var images = new ArrayList<GeneratedImage>(request.numOutputs());
        for (int first = 0; first < request.numOutputs(); first += group) {
            int count = Math.min(group, request.numOutputs() - first);
            images.addAll(generateGroup(request, settings, latents, first, count, steps, recorder));
        }
        recorder.tensor("latents-final", latents.shape(), latents.all());
        return new GenerationResult(images);
    }

    /**
     * The negative prompt to encode: the styled one (the style's negative, a space, the user's), or null when none
     * was given at all and the style adds none (then a model that forces zeros for empty prompts gets zeros).
     */
    private static String negativePrompt(GenerationRequest request, StyleTemplates.StyledPrompt styled) {
        return request.negativePrompt() == null && styled.negativePrompt().isBlank() ? null : styled.negativePrompt();
    }

    /** Outputs {@code first .. first+count-1}, denoised together, then decoded one by one. */
    private List<GeneratedImage> generateGroup(GenerationRequest request, Denoiser.Settings settings,
            OutputLatents latents, int first, int count, Denoiser.Steps steps, GenerationRecorder recorder) {
        float[][] group = new float[count][];
        Scheduler[] schedulers = new Scheduler[count];
        for (int o = 0; o < count; o++) {
            group[o] = latents.of(first + o);
            schedulers[o] = latents.scheduler(first + o);
        }
        recorder.phase("denoise", first);
        denoiser.denoise(group, latents.height(), latents.width(), schedulers, settings, steps, first, recorder);
        var images = new ArrayList<GeneratedImage>(count);
        for (int o = 0; o < count; o++) {
            steps.checkStopped();
            recorder.phase("decode", first + o);
            float[] unscaled = new float[group[o].length];
            VaeImageConverter.unscaleLatents(group[o], (float) manifest().vaeScalingFactor(), unscaled);
            float[] pixels = models.vaeDecoder().decode(unscaled, latents.height(), latents.width());
            GeneratedImage image = new GeneratedImage(pixels, request.width(), request.height(), request.seed());
            if (recorder != GenerationRecorder.NONE) {
                recorder.image(first + o, image.image());
            }
            images.add(image);
        }
        return images;
    }

    private static Map<String, Object> facts(GenerationRequest request, String prompt, String negative,
            Denoiser.Settings settings, OutputLatents latents) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("prompt", prompt);
        facts.put("negative_prompt", negative);
        facts.put("style", request.style());
        facts.put("num_steps", request.steps());
        facts.put("guidance_scale", request.guidanceScale());
        facts.put("guidance_rescale", request.guidanceRescale());
        facts.put("guided", request.guided());
        facts.put("style_strength", request.styleStrength());
        facts.put("start_merge_step", settings.startMergeStep());
        facts.put("seed", request.seed());
        facts.put("width", request.width());
        facts.put("height", request.height());
        facts.put("num_outputs", request.numOutputs());
        facts.put("id_images", request.idEmbeddings().size());
        facts.put("scheduler", request.scheduler());
        facts.put("noise", request.noise().generator());
        facts.put("noise_dtype", request.noise().dtype().wireName());
        facts.put("cuda_sm_count", request.noise().grid().smCount());
        facts.put("cuda_threads_per_sm", request.noise().grid().maxThreadsPerSm());
        facts.put("init_noise_sigma", latents.scheduler(0).initNoiseSigma());
        facts.put("timesteps", latents.timesteps());
        return facts;
    }

    private void checkIdEmbeddings(List<float[]> embeddings) {
        int width = manifest().tokensPerImage() * manifest().dims().idEmbedDim();
        for (int i = 0; i < embeddings.size(); i++) {
            if (embeddings.get(i).length != width) {
                throw PipelineException.badInput(ErrorType.INVALID_ID_EMBEDDING, "id_images",
                        "ID embedding " + i + " has " + embeddings.get(i).length + " values; these models use " + width);
            }
        }
    }

    @Override
    public void close() {
        models.close();
    }
}
