package io.photomaker.worker.onnx;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The six models of a PhotoMaker model directory, loaded once per process: the manifest is read and every
 * file's checksum verified first; if any model fails to load, those already loaded are closed before the
 * error propagates. Closing this closes all six.
 */
public final class PhotoMakerModels implements AutoCloseable {

    private final Path directory;
    private final ModelManifest manifest;
    private final SessionFactory sessions;
    private final TextEncoder textEncoder1;
    private final TextEncoder textEncoder2;
    private final IdEncoder idEncoder;
    private final FuseModel fuse;
    private final Unet unet;
    private final VaeDecoder vaeDecoder;

    private PhotoMakerModels(Path directory, ModelManifest manifest, SessionFactory sessions, List<OnnxModel> loaded) {
        this.directory = directory;
        this.manifest = manifest;
        this.sessions = sessions;
        this.textEncoder1 = (TextEncoder) loaded.get(0);
        this.textEncoder2 = (TextEncoder) loaded.get(1);
        this.idEncoder = (IdEncoder) loaded.get(2);
        this.fuse = (FuseModel) loaded.get(3);
        this.unet = (Unet) loaded.get(4);
        this.vaeDecoder = (VaeDecoder) loaded.get(5);
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
        List<Supplier<OnnxModel>> loaders = List.of(
                () -> TextEncoder.load(sessions, directory, manifest, ModelRole.TEXT_ENCODER),
                () -> TextEncoder.load(sessions, directory, manifest, ModelRole.TEXT_ENCODER_2),
                () -> new IdEncoder(sessions, manifest.modelPath(directory, ModelRole.ID_ENCODER), dims.idImageSize(),
                        manifest.tokensPerImage(), dims.idEmbedDim()),
                () -> new FuseModel(sessions, manifest.modelPath(directory, ModelRole.FUSE), dims.promptDim()),
                () -> new Unet(sessions, manifest.modelPath(directory, ModelRole.UNET), dims),
                () -> new VaeDecoder(sessions, manifest.modelPath(directory, ModelRole.VAE_DECODER),
                        dims.latentChannels(), dims.vaeScaleFactorSpatial()));
        var loaded = new ArrayList<OnnxModel>();
        try {
            for (Supplier<OnnxModel> loader : loaders) {
                OnnxModel model = loader.get();
                loaded.add(model);
                onLoaded.accept(model);
            }
            return new PhotoMakerModels(directory, manifest, sessions, loaded);
        } catch (RuntimeException e) {
            closeAll(loaded, e);
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

    public IdEncoder idEncoder() {
        return idEncoder;
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

    /** Attaches {@code recorder} to all six models (null detaches it). */
    public void setRecorder(CallRecorder recorder) {
        for (OnnxModel model : List.of(textEncoder1, textEncoder2, idEncoder, fuse, unet, vaeDecoder)) {
            model.setRecorder(recorder);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (OnnxModel model : List.of(vaeDecoder, unet, fuse, idEncoder, textEncoder2, textEncoder1)) {
            try {
                model.close();
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
