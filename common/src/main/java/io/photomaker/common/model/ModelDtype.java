package io.photomaker.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Floating-point precision of a model's weights and float inputs/outputs, as written in manifest.json. */
public enum ModelDtype {
    @JsonProperty("float32") FLOAT32,
    @JsonProperty("float16") FLOAT16;

    /** The manifest spelling ("float32" or "float16"). */
    public String manifestName() {
        return this == FLOAT32 ? "float32" : "float16";
    }
}
