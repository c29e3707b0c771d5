package io.photomaker.gateway.models;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.settings.GatewaySettings;
import java.util.Arrays;
import java.util.List;

/**
 * The models this deployment has worker fleets for (PM_MODELS, comma-separated, default {@code photomaker-v1})
 * and the one a job runs on when it names none (PM_DEFAULT_MODEL, default the first served). A job or identity
 * asking for another model is refused at submit; an accepted one goes to its model's work queue.
 */
public record ServedModels(List<String> served, String defaultModel) {

    /** Only photomaker-v1, the default of a deployment that says nothing. */
    public static final ServedModels V1_ONLY = new ServedModels(List.of(ModelNames.V1), ModelNames.V1);

    public ServedModels {
        served = List.copyOf(served);
        if (served.isEmpty()) {
            throw new ConfigException("PM_MODELS must name at least one model (" + String.join(", ", ModelNames.ALL) + ")");
        }
        for (String m : served) {
            if (!ModelNames.isKnown(m)) {
                throw new ConfigException("PM_MODELS names unknown model '" + m + "'; known models are "
                        + String.join(", ", ModelNames.ALL));
            }
        }
        if (!served.contains(defaultModel)) {
            throw new ConfigException("PM_DEFAULT_MODEL=" + defaultModel + " is not one of PM_MODELS " + served);
        }
    }

    /** Reads PM_MODELS and PM_DEFAULT_MODEL. */
    public static ServedModels from(Settings s) {
        List<String> served = Arrays.stream(s.string(GatewaySettings.MODELS).split(","))
                .map(String::trim).filter(m -> !m.isEmpty()).distinct().toList();
        return new ServedModels(served, s.string(GatewaySettings.DEFAULT_MODEL, served.isEmpty() ? ModelNames.V1 : served.get(0)));
    }

    /**
     * The model a request runs on: {@code asked}, or the default when it names none.
     *
     * @throws ApiError 400 {@code unknown_model} or {@code model_not_served}, naming the served models
     */
    public String resolve(String asked) {
        if (asked == null) {
            return defaultModel;
        }
        if (!ModelNames.isKnown(asked)) {
            throw new ApiError(ErrorType.UNKNOWN_MODEL, "model must be one of " + String.join(", ", ModelNames.ALL)
                    + "; this deployment serves " + String.join(", ", served), "model");
        }
        if (!served.contains(asked)) {
            throw new ApiError(ErrorType.MODEL_NOT_SERVED, "model " + asked + " is not served here; this deployment "
                    + "serves " + String.join(", ", served), "model");
        }
        return asked;
    }

    /** The work queue of a served model. */
    public String jobsTopic(String model) {
        return Topics.jobsFor(resolve(model));
    }
}
