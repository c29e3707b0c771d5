package io.photomaker.worker.onnx;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelManifestException;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhotoMakerModelsTest {

    @TempDir
    Path dir;

    /** Replaces a model file and records its new checksum, as a (wrong) export would. */
    private static ModelManifest replaceModel(Path dir, ModelManifest manifest, ModelRole role, byte[] bytes) throws Exception {
        Path file = manifest.modelPath(dir, role);
        Files.write(file, bytes);
        var models = new LinkedHashMap<>(manifest.models());
        ModelManifest.ModelFile old = models.get(role.key());
        models.put(role.key(), new ModelManifest.ModelFile(old.path(), ModelManifest.sha256(file), old.dtype(),
                old.hiddenStateOutput(), old.pooledOutput()));
        var changed = new ModelManifest(manifest.format(), manifest.photomakerVersion(), manifest.tokensPerImage(),
                manifest.triggerWord(), manifest.dims(), manifest.tokenizer(), manifest.scheduler(),
                manifest.vaeScalingFactor(), manifest.forceZerosForEmptyPrompt(), models, manifest.files());
        changed.write(dir);
        return changed;
    }

    @Test
    void all_six_models_load_and_close() throws Exception {
        TinyModelBuilder.create().build(dir);

        PhotoMakerModels models = PhotoMakerModels.load(dir, ExecutionConfig.cpu(1));
        models.close();

        assertTrue(models.unet().isClosed());
        assertTrue(models.textEncoder1().isClosed());
        assertEquals(ExecutionConfig.Provider.CPU, models.sessions().provider());
        assertEquals(TinyModelBuilder.TEXT_HIDDEN_2, models.textEncoder2().hiddenWidth());
    }

    @Test
    void a_corrupted_model_fails_the_load_naming_it_and_closes_the_models_already_loaded() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        ModelManifest changed = replaceModel(dir, manifest, ModelRole.UNET, "truncated download".getBytes());
        var loaded = new ArrayList<OnnxModel>();

        var e = assertThrows(ModelException.class, () -> PhotoMakerModels.load(dir, changed,
                SessionFactory.create(ExecutionConfig.cpu(1)), loaded::add));

        assertEquals(ErrorType.MODEL_LOAD_FAILED.wireName(), e.type());
        assertTrue(e.getMessage().contains(dir.resolve("unet/model.onnx").toString()), e.getMessage());
        assertEquals(4, loaded.size());
        assertTrue(loaded.stream().allMatch(OnnxModel::isClosed));
    }

    @Test
    void a_model_with_the_wrong_interface_fails_the_load_and_closes_the_models_already_loaded() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        byte[] textEncoder = Files.readAllBytes(manifest.modelPath(dir, ModelRole.TEXT_ENCODER));
        ModelManifest changed = replaceModel(dir, manifest, ModelRole.VAE_DECODER, textEncoder);
        List<OnnxModel> loaded = new ArrayList<>();

        var e = assertThrows(ModelException.class, () -> PhotoMakerModels.load(dir, changed,
                SessionFactory.create(ExecutionConfig.cpu(1)), loaded::add));

        assertEquals(ErrorType.MODEL_INTERFACE_MISMATCH.wireName(), e.type());
        assertTrue(e.getMessage().contains("vae_decoder model " + dir.resolve("vae_decoder/model.onnx")), e.getMessage());
        assertFalse(e.retryable());
        assertEquals(5, loaded.size());
        assertTrue(loaded.stream().allMatch(OnnxModel::isClosed));
    }

    @Test
    void a_model_file_changed_after_export_is_refused_before_anything_loads() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        Files.write(manifest.modelPath(dir, ModelRole.FUSE), "other bytes".getBytes());

        var e = assertThrows(ModelManifestException.class, () -> PhotoMakerModels.load(dir, ExecutionConfig.cpu(1)));

        assertEquals(ErrorType.MODEL_CHECKSUM_MISMATCH.wireName(), e.type());
        assertTrue(e.getMessage().contains("fuse"), e.getMessage());
    }
}
