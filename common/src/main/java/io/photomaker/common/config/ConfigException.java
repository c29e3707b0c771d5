package io.photomaker.common.config;

/** Thrown when a configuration value is missing or out of range; the message names the setting. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
