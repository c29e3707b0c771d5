package io.photomaker.common.model;

import java.util.List;

/**
 * The model names a job may ask for ({@code model} in a request) and a worker fleet serves (its
 * manifest's {@code photomaker_version}): {@code photomaker-v1} and {@code photomaker-v2}.
 */
public final class ModelNames {
    /** PhotoMaker V1: CLIP ID embedding, one class token per photo. */
    public static final String V1 = "photomaker-v1";
    /** PhotoMaker V2: CLIP patch tokens plus an ArcFace face embedding, two class tokens per photo. */
    public static final String V2 = "photomaker-v2";
    /** Every name this code knows, in order. */
    public static final List<String> ALL = List.of(V1, V2);

    private ModelNames() {
    }

    /** Whether {@code name} is a model this code can serve. */
    public static boolean isKnown(String name) {
        return ALL.contains(name);
    }
}
