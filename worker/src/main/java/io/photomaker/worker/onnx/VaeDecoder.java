package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.Map;

/**
 * The SDXL VAE decoder: one latent [1, C, h, w] (already divided by the scaling factor) in, the image
 * [1, 3, s*h, s*w] in [-1, 1] out. The output is read into a buffer reused across images of one size.
 */
public final class VaeDecoder extends OnnxModel {

    private static final String LATENT = "latent_sample";
    private static final String SAMPLE = "sample";

    private final int channels;
    private final int scale;
    private final TensorSlot latent;
    private final TensorSlot image;

    public VaeDecoder(SessionFactory factory, Path path, int channels, int scale) {
        super(factory, path, ModelInterface.of("vae_decoder")
                .input(LATENT, ElementType.FLOATS, 1, channels, -1, -1)
                .output(SAMPLE, ElementType.FLOATS, -1, 3, -1, -1));
        this.channels = channels;
        this.scale = scale;
        this.latent = new TensorSlot(factory.environment(), input(LATENT).type());
        this.image = new TensorSlot(factory.environment(), output(SAMPLE).type());
    }

    /** Spatial upscaling factor (8 for SDXL). */
    public int scale() {
        return scale;
    }

    /** Decodes one latent of {@code channels * h * w} floats into {@code 3 * (s*h) * (s*w)} floats, NCHW. */
    public float[] decode(float[] latents, int height, int width) {
        if (latents.length != channels * height * width) {
            throw new IllegalArgumentException("expected " + channels + "x" + height + "x" + width + " latent values, got "
                    + latents.length);
        }
        Port port = input(LATENT);
        if (!port.accepts(2, height) || !port.accepts(3, width)) {
            throw new ModelException(ErrorType.UNSUPPORTED_SHAPE, "vae_decoder " + path() + " takes " + port
                    + ", not a " + height + "x" + width + " latent");
        }
        try {
            latent.shaped(1, channels, height, width);
            image.shaped(1, 3, (long) height * scale, (long) width * scale);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "vae_decoder: cannot create tensors", true, e);
        }
        latent.putFloats(0, latents, 0, latents.length);
        runInto(Map.of(LATENT, latent.tensor()), Map.of(SAMPLE, image.tensor()));
        float[] pixels = new float[3 * height * scale * width * scale];
        image.getFloats(0, pixels, 0, pixels.length);
        return pixels;
    }

    @Override
    protected void closeResources() {
        latent.close();
        image.close();
    }
}
