package io.photomaker.common.model;

/**
 * A model directory that cannot be used: manifest.json missing, malformed or inconsistent, or a model
 * file absent or not matching its recorded checksum. {@link #type()} is a machine-readable snake_case code.
 */
public final class ModelManifestException extends RuntimeException {

    /** manifest.json is missing, unreadable, malformed or fails validation. */
    public static final String INVALID_MANIFEST = "invalid_manifest";
    /** A file named by the manifest does not exist. */
    public static final String MODEL_FILE_MISSING = "model_file_missing";
    /** A model file's sha256 differs from the manifest. */
    public static final String CHECKSUM_MISMATCH = "model_checksum_mismatch";

    private final String type;

    public ModelManifestException(String type, String message) {
        super(message);
        this.type = type;
    }

    public ModelManifestException(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Machine-readable error code, one of the constants of this class. */
    public String type() {
        return type;
    }
}
