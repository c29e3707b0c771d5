package io.photomaker.testkit.models;

import io.photomaker.common.model.ModelDtype;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a complete tiny PhotoMaker model directory (six ONNX models, tokenizer, manifest with real
 * sha256s) with the real models' interfaces and tiny widths. Deterministic: the same options give the
 * same bytes. Options: float16 weights and IO (or float16 weights with float32 IO, the export's interface
 * that keeps conversions on the device), int64 [B] UNet timestep, fixed batch of one, PhotoMaker V2 (V2 ID
 * encoder, two tokens per image, face detector and recognizer), face models for V1.
 */
public final class TinyModelBuilder {

    public static final int TEXT_HIDDEN_1 = 8;
    public static final int TEXT_HIDDEN_2 = 16;
    public static final int PROMPT_DIM = TEXT_HIDDEN_1 + TEXT_HIDDEN_2;
    public static final int POOLED_DIM = 16;
    public static final int ID_EMBED_DIM = PROMPT_DIM;
    public static final int LATENT_CHANNELS = 4;
    public static final int VAE_SCALE_FACTOR = 8;
    public static final int ID_IMAGE_SIZE = 224;
    public static final int MAX_TOKENS = 77;
    /** Mixing layers per text encoder: outputs hidden_states.0..TEXT_LAYERS, the penultimate is used. */
    public static final int TEXT_LAYERS = 3;
    public static final String TRIGGER_WORD = "img";
    public static final double VAE_SCALING_FACTOR = 0.13025;

    private static final int VISION_HIDDEN = 32;

    private boolean float16;
    private boolean float32Io;
    private boolean int64Timestep;
    private boolean fixedBatchOfOne;
    private boolean v2;
    private boolean faceModels;
    private long seed = 20240101L;

    private TinyModelBuilder() {
    }

    /** A builder with the defaults: float32, float scalar timestep, dynamic batch. */
    public static TinyModelBuilder create() {
        return new TinyModelBuilder();
    }

    /** Stores weights and float inputs/outputs as float16. */
    public TinyModelBuilder float16(boolean value) {
        this.float16 = value;
        return this;
    }

    /** With float16: float32 inputs and outputs around the float16 model (casts inside the graph). */
    public TinyModelBuilder float32Io(boolean value) {
        this.float32Io = value;
        return this;
    }

    /** Gives the UNet an int64 [B] timestep (older exports) instead of a float scalar. */
    public TinyModelBuilder int64Timestep(boolean value) {
        this.int64Timestep = value;
        return this;
    }

    /** Fixes every model's batch dimension to 1 (fixed-shape exports). */
    public TinyModelBuilder fixedBatchOfOne(boolean value) {
        this.fixedBatchOfOne = value;
        return this;
    }

    /**
     * Builds a PhotoMaker V2 set ({@code "v2"}: the V2 ID encoder taking CLIP pixels and a face embedding, two
     * tokens per image, and the face models) or a V1 set ({@code "v1"}, the default).
     */
    public TinyModelBuilder photomakerVersion(String version) {
        if (!version.equals("v1") && !version.equals("v2")) {
            throw new IllegalArgumentException("photomaker version must be v1 or v2, was " + version);
        }
        this.v2 = version.equals("v2");
        return this;
    }

    /** Adds the face detector and recognizer to a V1 set (a V2 set always has them). */
    public TinyModelBuilder faceModels(boolean value) {
        this.faceModels = value;
        return this;
    }

    /** Seed of the weights; different seeds give different models. */
    public TinyModelBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    /** The tokenizer vocabulary every tiny model set uses. */
    public static TinyVocabulary vocabulary() {
        return TinyVocabulary.build();
    }

    /** Writes the model directory into {@code dir} (created if needed) and returns its manifest. */
    public ModelManifest build(Path dir) throws IOException {
        TinyVocabulary vocabulary = TinyVocabulary.build();
        byte[] vocab = vocabulary.vocabJson().getBytes(StandardCharsets.UTF_8);
        byte[] merges = vocabulary.mergesTxt().getBytes(StandardCharsets.UTF_8);
        write(dir.resolve("tokenizer/vocab.json"), vocab);
        write(dir.resolve("tokenizer/merges.txt"), merges);

        TinyGraphs graphs = new TinyGraphs(float16, float32Io, seed, fixedBatchOfOne, int64Timestep);
        var models = new LinkedHashMap<String, ModelManifest.ModelFile>();
        int lastHidden = TEXT_LAYERS - 1;
        add(models, dir, ModelRole.TEXT_ENCODER, "pooler_output", "hidden_states." + lastHidden,
                graphs.textEncoder("text_encoder", vocabulary.size(), TEXT_HIDDEN_1, TEXT_LAYERS, 0));
        add(models, dir, ModelRole.TEXT_ENCODER_2, "text_embeds", "hidden_states." + lastHidden,
                graphs.textEncoder("text_encoder_2", vocabulary.size(), TEXT_HIDDEN_2, TEXT_LAYERS, POOLED_DIM));
        int tokensPerImage = v2 ? 2 : 1;
        add(models, dir, ModelRole.ID_ENCODER, null, null, v2 ? graphs.idEncoderV2(tokensPerImage, ID_EMBED_DIM)
                : graphs.idEncoder(VISION_HIDDEN, TEXT_HIDDEN_1, TEXT_HIDDEN_2));
        add(models, dir, ModelRole.FUSE, null, null, graphs.fuse(PROMPT_DIM));
        add(models, dir, ModelRole.UNET, null, null, graphs.unet(LATENT_CHANNELS, PROMPT_DIM, POOLED_DIM));
        add(models, dir, ModelRole.VAE_DECODER, null, null, graphs.vaeDecoder(LATENT_CHANNELS, VAE_SCALE_FACTOR));
        if (v2 || faceModels) {
            TinyFaceGraphs faces = new TinyFaceGraphs(seed);
            addFloat32(models, dir, ModelRole.FACE_DETECTOR, faces.faceDetector());
            addFloat32(models, dir, ModelRole.FACE_RECOGNIZER, faces.faceRecognizer());
        }

        var manifest = new ModelManifest(ModelManifest.FORMAT, v2 ? "v2" : "v1", tokensPerImage, TRIGGER_WORD,
                new ModelManifest.Dims(TEXT_HIDDEN_1, TEXT_HIDDEN_2, PROMPT_DIM, POOLED_DIM, ID_EMBED_DIM,
                        LATENT_CHANNELS, VAE_SCALE_FACTOR, ID_IMAGE_SIZE, MAX_TOKENS),
                new ModelManifest.TokenizerFiles("tokenizer/vocab.json", "tokenizer/merges.txt",
                        vocabulary.endOfTextId(), 0),
                new ModelManifest.SchedulerSettings(1000, 0.00085, 0.012, "scaled_linear", "leading", 1, "epsilon"),
                VAE_SCALING_FACTOR, true, models,
                Map.of("tokenizer/vocab.json", sha256(vocab), "tokenizer/merges.txt", sha256(merges)));
        manifest.write(dir);
        return manifest;
    }

    private void add(Map<String, ModelManifest.ModelFile> models, Path dir, ModelRole role, String pooled,
            String hiddenState, byte[] model) throws IOException {
        String path = role.key() + "/model.onnx";
        write(dir.resolve(path), model);
        ModelDtype dtype = float16 ? ModelDtype.FLOAT16 : ModelDtype.FLOAT32;
        models.put(role.key(), new ModelManifest.ModelFile(path, sha256(model), dtype, hiddenState, pooled));
    }

    /** The face models are float32 whatever the set's precision, like InsightFace's published files. */
    private static void addFloat32(Map<String, ModelManifest.ModelFile> models, Path dir, ModelRole role, byte[] model)
            throws IOException {
        String path = role.key() + "/model.onnx";
        write(dir.resolve(path), model);
        models.put(role.key(), ModelManifest.ModelFile.of(path, sha256(model), ModelDtype.FLOAT32));
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
