package io.photomaker.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.photomaker.common.errors.ErrorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The manifest.json of a PhotoMaker model directory: version, dimensions, tokenizer and scheduler
 * settings, the ONNX model files (six, plus two face models for v2) with their checksums and precision, and
 * {@code files}: the sha256 of every other file the models need (tokenizer files, external weight files such as
 * {@code unet/model.onnx_data}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
        @JsonProperty(value = "format", required = true) String format,
        @JsonProperty(value = "photomaker_version", required = true) String photomakerVersion,
        @JsonProperty(value = "tokens_per_image", required = true) int tokensPerImage,
        @JsonProperty(value = "trigger_word", required = true) String triggerWord,
        @JsonProperty(value = "dims", required = true) Dims dims,
        @JsonProperty(value = "tokenizer", required = true) TokenizerFiles tokenizer,
        @JsonProperty(value = "scheduler", required = true) SchedulerSettings scheduler,
        @JsonProperty(value = "vae_scaling_factor", required = true) double vaeScalingFactor,
        @JsonProperty(value = "force_zeros_for_empty_prompt", required = true) boolean forceZerosForEmptyPrompt,
        @JsonProperty(value = "models", required = true) Map<String, ModelFile> models,
        @JsonProperty("files") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> files) {

    /** The only manifest format this code reads and writes. */
    public static final String FORMAT = "photomaker-onnx/1";
    /** File name of the manifest inside a model directory. */
    public static final String FILE_NAME = "manifest.json";

    // diffusers writes float("-inf") defaults (lambda_min_clipped) as -Infinity
    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Keeps the models in role order and the files sorted so that written manifests are byte-for-byte reproducible. */
    public ModelManifest {
        models = models == null ? null : Collections.unmodifiableMap(inRoleOrder(models));
        files = files == null ? null : Collections.unmodifiableMap(new java.util.TreeMap<>(files));
    }

    /** A manifest without a {@code files} section (it then fails {@link #verifyFiles}: see there). */
    public ModelManifest(String format, String photomakerVersion, int tokensPerImage, String triggerWord, Dims dims,
            TokenizerFiles tokenizer, SchedulerSettings scheduler, double vaeScalingFactor,
            boolean forceZerosForEmptyPrompt, Map<String, ModelFile> models) {
        this(format, photomakerVersion, tokensPerImage, triggerWord, dims, tokenizer, scheduler, vaeScalingFactor,
                forceZerosForEmptyPrompt, models, null);
    }

    /** This manifest with the sha256 of every file that is not a model file listed in {@code files}. */
    public ModelManifest withFiles(Map<String, String> value) {
        return new ModelManifest(format, photomakerVersion, tokensPerImage, triggerWord, dims, tokenizer, scheduler,
                vaeScalingFactor, forceZerosForEmptyPrompt, models, value);
    }

    /**
     * Tensor widths and sizes shared by the models (real SDXL: 768, 1280, 2048, 1280, 2048, 4, 8, 224, 77), and
     * the multiple the UNet needs latent sides to be ({@code latent_size_multiple}: 4 for a traced SDXL UNet,
     * whose up-sampling path assumes even sizes at both down-sampled levels; 1 when absent).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dims(
            @JsonProperty(value = "text_hidden_1", required = true) int textHidden1,
            @JsonProperty(value = "text_hidden_2", required = true) int textHidden2,
            @JsonProperty(value = "prompt_dim", required = true) int promptDim,
            @JsonProperty(value = "pooled_dim", required = true) int pooledDim,
            @JsonProperty(value = "id_embed_dim", required = true) int idEmbedDim,
            @JsonProperty(value = "latent_channels", required = true) int latentChannels,
            @JsonProperty(value = "vae_scale_factor_spatial", required = true) int vaeScaleFactorSpatial,
            @JsonProperty(value = "id_image_size", required = true) int idImageSize,
            @JsonProperty(value = "max_tokens", required = true) int maxTokens,
            @JsonProperty("latent_size_multiple") Integer latentSizeMultiple) {

        /** Dims of a UNet that runs any latent size. */
        public Dims(int textHidden1, int textHidden2, int promptDim, int pooledDim, int idEmbedDim, int latentChannels,
                int vaeScaleFactorSpatial, int idImageSize, int maxTokens) {
            this(textHidden1, textHidden2, promptDim, pooledDim, idEmbedDim, latentChannels, vaeScaleFactorSpatial,
                    idImageSize, maxTokens, null);
        }

        /** The multiple latent sides must be (1 when the manifest does not say). */
        public int latentMultiple() {
            return latentSizeMultiple == null ? 1 : latentSizeMultiple;
        }

        /** The multiple image sides must be: the VAE's scale factor times {@link #latentMultiple()}. */
        public int imageSizeMultiple() {
            return vaeScaleFactorSpatial * latentMultiple();
        }
    }

    /** Tokenizer files (relative to the model directory) and the pad ids of the two text encoders. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenizerFiles(
            @JsonProperty(value = "vocab", required = true) String vocab,
            @JsonProperty(value = "merges", required = true) String merges,
            @JsonProperty(value = "pad_id_1", required = true) int padId1,
            @JsonProperty(value = "pad_id_2", required = true) int padId2) {
    }

    /**
     * The base model's scheduler config, carried whole as diffusers wrote it ({@code scheduler_config.json}: the
     * training schedule plus every sampler setting). The worker honours each key its schedulers implement and
     * refuses a config that asks for anything else; the typed accessors read the training-schedule keys.
     */
    public record SchedulerSettings(Map<String, Object> values) {

        public SchedulerSettings {
            values = values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The seven training-schedule keys of SDXL-style configs (the other keys take diffusers' defaults). */
        public SchedulerSettings(int numTrainTimesteps, double betaStart, double betaEnd, String betaSchedule,
                String timestepSpacing, int stepsOffset, String predictionType) {
            this(ordered("num_train_timesteps", numTrainTimesteps, "beta_start", betaStart, "beta_end", betaEnd,
                    "beta_schedule", betaSchedule, "timestep_spacing", timestepSpacing, "steps_offset", stepsOffset,
                    "prediction_type", predictionType));
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static SchedulerSettings fromJson(Map<String, Object> values) {
            return new SchedulerSettings(values);
        }

        @JsonValue
        @Override
        public Map<String, Object> values() {
            return values;
        }

        public int numTrainTimesteps() {
            return number("num_train_timesteps").intValue();
        }

        public double betaStart() {
            return number("beta_start").doubleValue();
        }

        public double betaEnd() {
            return number("beta_end").doubleValue();
        }

        public String betaSchedule() {
            return text("beta_schedule");
        }

        public String timestepSpacing() {
            return text("timestep_spacing");
        }

        public int stepsOffset() {
            return number("steps_offset").intValue();
        }

        public String predictionType() {
            return text("prediction_type");
        }

        private Number number(String key) {
            return values.get(key) instanceof Number n ? n : null;
        }

        private String text(String key) {
            return values.get(key) instanceof String t ? t : null;
        }

        private static Map<String, Object> ordered(Object... keysAndValues) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
            return m;
        }
    }

    /**
     * One ONNX model file: path relative to the model directory, lowercase hex sha256, precision, and for
     * text encoders the hidden-state output to use (the penultimate layer) and optionally the pooled output.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelFile(
            @JsonProperty(value = "path", required = true) String path,
            @JsonProperty(value = "sha256", required = true) String sha256,
            @JsonProperty(value = "dtype", required = true) ModelDtype dtype,
            @JsonProperty("hidden_state_output") String hiddenStateOutput,
            @JsonProperty("pooled_output") String pooledOutput) {

        /** A non-text-encoder model entry. */
        public static ModelFile of(String path, String sha256, ModelDtype dtype) {
            return new ModelFile(path, sha256, dtype, null, null);
        }
    }

    /** The entry of {@code role}; present in any manifest that passed validation. */
    public ModelFile model(ModelRole role) {
        ModelFile file = models.get(role.key());
        if (file == null) {
            throw new ModelManifestException(ErrorType.INVALID_MANIFEST,
                    "manifest has no entry models." + role.key());
        }
        return file;
    }

    /** Whether the manifest has an entry for {@code role} (the face models are optional for v1). */
    public boolean hasModel(ModelRole role) {
        return models != null && models.containsKey(role.key());
    }

    /** Whether the face detector and recognizer are present (always for v2; identity similarity needs them). */
    public boolean hasFaceModels() {
        return hasModel(ModelRole.FACE_DETECTOR) && hasModel(ModelRole.FACE_RECOGNIZER);
    }

    /** The model name jobs ask for to run on this directory: {@code photomaker-v1} or {@code photomaker-v2}. */
    public String servedModel() {
        return "photomaker-" + photomakerVersion;
    }

    /** Absolute path of {@code role}'s model file inside {@code dir}. */
    public Path modelPath(Path dir, ModelRole role) {
        return dir.resolve(model(role).path());
    }

    /**
     * Reads and validates {@code dir/manifest.json}.
     *
     * @throws ModelManifestException type invalid_manifest, naming the file and the offending field
     */
    public static ModelManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        ModelManifest manifest;
        try {
            manifest = MAPPER.readValue(Files.readAllBytes(file), ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw invalid(file, "file not found");
        } catch (JsonMappingException e) {
            throw new ModelManifestException(ErrorType.INVALID_MANIFEST,
                    file + ": field " + fieldPath(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ModelManifestException(ErrorType.INVALID_MANIFEST,
                    file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelManifestException(ErrorType.INVALID_MANIFEST,
                    file + ": cannot be read: " + e.getMessage(), e);
        }
        manifest.validate(file.toString());
        return manifest;
    }

    /** Validates this manifest and writes it to {@code dir/manifest.json} (pretty-printed, stable order). */
    public void write(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        validate(file.toString());
        Files.createDirectories(dir);
        Files.write(file, (MAPPER.writeValueAsString(this) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Checks that every model and tokenizer file exists and that each file's sha256 matches: model files against
     * {@code models.<role>.sha256}, everything else against {@code files}, which must cover the tokenizer files and
     * every other file in a model's directory (external weights).
     *
     * @throws ModelManifestException model_file_missing or model_checksum_mismatch, naming the file
     */
    public void verifyFiles(Path dir) {
        ManifestFiles.verify(this, dir);
    }

    /** Lowercase hex sha256 of a file, as recorded under {@code models.<name>.sha256}. */
    public static String sha256(Path file) {
        return ManifestFiles.sha256(file);
    }

    /**
     * Checks the fields and their consistency.
     *
     * @param where how to name this manifest in messages (usually its path)
     * @throws ModelManifestException type invalid_manifest listing every problem with its field
     */
    public void validate(String where) {
        var problems = ManifestValidator.problems(this);
        if (!problems.isEmpty()) {
            throw invalid(where, String.join("; ", problems));
        }
    }

    private static ModelManifestException invalid(Object where, String detail) {
        return new ModelManifestException(ErrorType.INVALID_MANIFEST, where + ": " + detail);
    }

    private static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "(root)" : path;
    }

    private static Map<String, ModelFile> inRoleOrder(Map<String, ModelFile> models) {
        var ordered = new LinkedHashMap<String, ModelFile>();
        for (ModelRole role : ModelRole.values()) {
            if (models.containsKey(role.key())) {
                ordered.put(role.key(), models.get(role.key()));
            }
        }
        models.keySet().stream().sorted().forEach(k -> ordered.putIfAbsent(k, models.get(k)));
        return ordered;
    }
}
