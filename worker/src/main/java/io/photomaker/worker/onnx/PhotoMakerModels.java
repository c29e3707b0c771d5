package io.photomaker.worker.onnx;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The models of a PhotoMaker model directory, loaded once per process: the manifest is read and every
 * file's checksum verified first; if any model fails to load, those already loaded are closed before the
 * error propagates. Closing this closes them all. A v1 directory has the V1 ID encoder; a v2 directory the V2
 * ID encoder and the face models; a v1 directory may carry the face models too (identity similarity).
 */
public final class PhotoMakerModels implements AutoCloseable {

    private final Path directory;
    private final ModelManifest manifest;
    private final SessionFactory sessions;
    private final List<OnnxModel> all;
    private final TextEncoder textEncoder1;
    private final TextEncoder textEncoder2;
    private final IdEncoder idEncoder;
    private final IdEncoderV2 idEncoderV2;
    private final FaceDetector faceDetector;
    private final FaceRecognizer faceRecognizer;
    private final FuseModel fuse;
    private final Unet unet;
    private final VaeDecoder vaeDecoder;

    private PhotoMakerModels(Path directory, ModelManifest manifest, SessionFactory sessions, Loaded loaded) {
        this.directory = directory;
        this.manifest = manifest;
        this.sessions = sessions;
        this.all = List.copyOf(loaded.models);
        this.textEncoder1 = loaded.get(TextEncoder.class, 0);
        this.textEncoder2 = loaded.get(TextEncoder.class, 1);
        this.idEncoder = loaded.get(IdEncoder.class, 0);
        this.idEncoderV2 = loaded.get(IdEncoderV2.class, 0);
        this.faceDetector = loaded.get(FaceDetector.class, 0);
        this.faceRecognizer = loaded.get(FaceRecognizer.class, 0);
        this.fuse = loaded.get(FuseModel.class, 0);
        this.unet = loaded.get(Unet.class, 0);
        this.vaeDecoder = loaded.get(VaeDecoder.class, 0);
    }

    /** The models loaded so far, in load order. */
    private static final class Loaded {
        final List<OnnxModel> models = new ArrayList<>();

        <T extends OnnxModel> T get(Class<T> type, int nth) {
            return models.stream().filter(type::isInstance).map(type::cast).skip(nth).findFirst().orElse(null);
        }
    }

    /** Loads the directory with a new session factory for {@code config} (logs the provider once). */
    public static PhotoMakerModels load(Path directory, ExecutionConfig config) {
        ModelManifest manifest = ModelManifest.read(directory);
        manifest.verifyFiles(directory);
        return load(directory, manifest, SessionFactory.create(config));
    }

    /**
     * Loads the models a verified manifest describes, in role order.
     *
     * @throws ModelException when a model cannot be loaded or does not match the manifest's dimensions
     */
    public static PhotoMakerModels load(Path directory, ModelManifest manifest, SessionFactory sessions) {
        return load(directory, manifest, sessions, model -> { });
    }

    /** As {@link #load(Path, ModelManifest, SessionFactory)}, telling {@code onLoaded} about each model loaded. */
    static PhotoMakerModels load(Path directory, ModelManifest manifest, SessionFactory sessions,
            Consumer<OnnxModel> onLoaded) {
        ModelManifest.Dims dims = manifest.dims();
        var loaded = new Loaded();
        try {
            Consumer<OnnxModel> keep = model -> {
                loaded.models.add(model);
                onLoaded.accept(model);
            };
            keep.accept(TextEncoder.load(sessions, directory, manifest, ModelRole.TEXT_ENCODER));
            keep.accept(TextEncoder.load(sessions, directory, manifest, ModelRole.TEXT_ENCODER_2));
            if (manifest.hasFaceModels()) {
                keep.accept(new FaceDetector(sessions, manifest.modelPath(directory, ModelRole.FACE_DETECTOR)));
                keep.accept(new FaceRecognizer(sessions, manifest.modelPath(directory, ModelRole.FACE_RECOGNIZER)));
            }
            Path idEncoderPath = manifest.modelPath(directory, ModelRole.ID_ENCODER);
            if (manifest.tokensPerImage() == 1) {
                keep.accept(new IdEncoder(sessions, idEncoderPath, dims.idImageSize(), 1, dims.idEmbedDim()));
            } else {
                int faceWidth = loaded.get(FaceRecognizer.class, 0).embeddingWidth();
                keep.accept(new IdEncoderV2(sessions, idEncoderPath, dims.idImageSize(), faceWidth,
                        manifest.tokensPerImage(), dims.idEmbedDim()));
            }
            keep.accept(new FuseModel(sessions, manifest.modelPath(directory, ModelRole.FUSE), dims.promptDim()));
            keep.accept(new Unet(sessions, manifest.modelPath(directory, ModelRole.UNET), dims));
            keep.accept(new VaeDecoder(sessions, manifest.modelPath(directory, ModelRole.VAE_DECODER),
                    dims.latentChannels(), dims.vaeScaleFactorSpatial()));
            return new PhotoMakerModels(directory, manifest, sessions, loaded);
        } catch (RuntimeException e) {
            closeAll(loaded.models, e);
            throw e;
        }
    }

    private static void closeAll(List<OnnxModel> loaded, RuntimeException failure) {
        for (int i = loaded.size() - 1; i >= 0; i--) {
            try {
                loaded.get(i).close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    public Path directory() {
        return directory;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** The factory the sessions came from (tells which provider runs). */
    public SessionFactory sessions() {
        return sessions;
    }

    public TextEncoder textEncoder1() {
        return textEncoder1;
    }

    public TextEncoder textEncoder2() {
        return textEncoder2;
    }

    /** The V1 ID encoder; null in a v2 directory. */
    public IdEncoder idEncoder() {
        return idEncoder;
    }

    /** The V2 ID encoder; null in a v1 directory. */
    public IdEncoderV2 idEncoderV2() {
        return idEncoderV2;
    }

    /** Whether the face detector and recognizer are loaded (v2 always, v1 when the manifest has them). */
    public boolean hasFaceModels() {
        return faceDetector != null;
    }

    /** The face detector, or null when the directory has no face models. */
    public FaceDetector faceDetector() {
        return faceDetector;
    }

    /** The face recognizer, or null when the directory has no face models. */
    public FaceRecognizer faceRecognizer() {
        return faceRecognizer;
    }

    public FuseModel fuse() {
        return fuse;
    }

    public Unet unet() {
        return unet;
    }

    public VaeDecoder vaeDecoder() {
        return vaeDecoder;
    }

    /** Attaches {@code recorder} to every loaded model (null detaches it). */
    public void setRecorder(CallRecorder recorder) {
        for (OnnxModel model : all) {
            model.setRecorder(recorder);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
