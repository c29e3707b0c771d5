package io.photomaker.common.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The networks of a PhotoMaker model directory, each keyed in manifest.json by its snake_case name: six
 * always, plus InsightFace's face detector and face recognizer (buffalo_l det_10g and w600k_r50), which
 * PhotoMaker V2 needs and V1 may carry for identity similarity.
 */
public enum ModelRole {
    TEXT_ENCODER("text_encoder"),
    TEXT_ENCODER_2("text_encoder_2"),
    ID_ENCODER("id_encoder"),
    FUSE("fuse"),
    UNET("unet"),
    VAE_DECODER("vae_decoder"),
    FACE_DETECTOR("face_detector"),
    FACE_RECOGNIZER("face_recognizer");

    private final String key;

    ModelRole(String key) {
        this.key = key;
    }

    /** The name used as the key under {@code models} in manifest.json and as the model's folder name. */
    public String key() {
        return key;
    }

    /** Whether this is one of the two CLIP text encoders (they name their hidden-state output). */
    public boolean isTextEncoder() {
        return this == TEXT_ENCODER || this == TEXT_ENCODER_2;
    }

    /** Whether this is one of the two face models (required for v2, optional for v1). */
    public boolean isFaceModel() {
        return this == FACE_DETECTOR || this == FACE_RECOGNIZER;
    }

    /** The role whose key is {@code key}, if any. */
    public static Optional<ModelRole> fromKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
    }
}
