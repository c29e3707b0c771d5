package io.photomaker.common.model;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Field and consistency checks of a {@link ModelManifest}; each problem names its field. */
final class ManifestValidator {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> BETA_SCHEDULES = Set.of("linear", "scaled_linear", "squaredcos_cap_v2");
    private static final Set<String> SPACINGS = Set.of("leading", "trailing", "linspace");
    private static final Set<String> PREDICTION_TYPES = Set.of("epsilon", "v_prediction", "sample");

    private final List<String> problems = new ArrayList<>();

    private ManifestValidator() {
    }

    static List<String> problems(ModelManifest m) {
        var v = new ManifestValidator();
        v.checkTop(m);
        if (m.dims() == null) {
            v.problems.add("dims is missing");
        } else {
            v.checkDims(m.dims(), m.tokensPerImage());
        }
        if (m.tokenizer() == null) {
            v.problems.add("tokenizer is missing");
        } else {
            v.checkTokenizer(m.tokenizer());
        }
        if (m.scheduler() == null) {
            v.problems.add("scheduler is missing");
        } else {
            v.checkScheduler(m.scheduler());
        }
        v.checkModels(m);
        v.checkFiles(m);
        return v.problems;
    }

    private void checkTop(ModelManifest m) {
        if (!ModelManifest.FORMAT.equals(m.format())) {
            problems.add("format must be \"" + ModelManifest.FORMAT + "\", was " + quoted(m.format()));
        }
        int expectedTokens = switch (String.valueOf(m.photomakerVersion())) {
            case "v1" -> 1;
            case "v2" -> 2;
            default -> {
                problems.add("photomaker_version must be \"v1\" or \"v2\", was " + quoted(m.photomakerVersion()));
                yield m.tokensPerImage();
            }
        };
        if (m.tokensPerImage() != expectedTokens) {
            problems.add("tokens_per_image must be " + expectedTokens + " for photomaker_version "
                    + m.photomakerVersion() + ", was " + m.tokensPerImage());
        }
        if (m.triggerWord() == null || m.triggerWord().isBlank() || m.triggerWord().contains(" ")) {
            problems.add("trigger_word must be one non-blank word, was " + quoted(m.triggerWord()));
        }
        if (!(m.vaeScalingFactor() > 0) || !Double.isFinite(m.vaeScalingFactor())) {
            problems.add("vae_scaling_factor must be a positive number, was " + m.vaeScalingFactor());
        }
    }

    private void checkDims(ModelManifest.Dims d, int tokensPerImage) {
        positive("dims.text_hidden_1", d.textHidden1());
        positive("dims.text_hidden_2", d.textHidden2());
        positive("dims.prompt_dim", d.promptDim());
        positive("dims.pooled_dim", d.pooledDim());
        positive("dims.id_embed_dim", d.idEmbedDim());
        positive("dims.latent_channels", d.latentChannels());
        positive("dims.vae_scale_factor_spatial", d.vaeScaleFactorSpatial());
        positive("dims.id_image_size", d.idImageSize());
        if (d.promptDim() != d.textHidden1() + d.textHidden2()) {
            problems.add("dims.prompt_dim must equal dims.text_hidden_1 + dims.text_hidden_2 (" + d.textHidden1()
                    + " + " + d.textHidden2() + "), was " + d.promptDim());
        }
        if (d.idEmbedDim() != d.promptDim()) {
            problems.add("dims.id_embed_dim must equal dims.prompt_dim (" + d.promptDim()
                    + ": ID embeddings replace prompt rows), was " + d.idEmbedDim());
        }
        if (d.latentSizeMultiple() != null && (d.latentSizeMultiple() < 1 || d.latentSizeMultiple() > 64)) {
            problems.add("dims.latent_size_multiple must be in 1..64, was " + d.latentSizeMultiple());
        }
        if (d.maxTokens() < 3 + tokensPerImage) {
            problems.add("dims.max_tokens must leave room for start, end, class and trigger tokens, was "
                    + d.maxTokens());
        }
    }

    private void checkTokenizer(ModelManifest.TokenizerFiles t) {
        relativePath("tokenizer.vocab", t.vocab());
        relativePath("tokenizer.merges", t.merges());
        if (t.padId1() < 0) {
            problems.add("tokenizer.pad_id_1 must not be negative, was " + t.padId1());
        }
        if (t.padId2() < 0) {
            problems.add("tokenizer.pad_id_2 must not be negative, was " + t.padId2());
        }
    }

    private void checkScheduler(ModelManifest.SchedulerSettings s) {
        if (s.values() == null) {
            problems.add("scheduler must be the base model's scheduler config (an object)");
            return;
        }
        int before = problems.size();
        for (String key : List.of("num_train_timesteps", "beta_start", "beta_end", "steps_offset")) {
            if (!(s.values().get(key) instanceof Number)) {
                problems.add("scheduler." + key + " must be a number, was " + s.values().get(key));
            }
        }
        for (String key : List.of("beta_schedule", "timestep_spacing", "prediction_type")) {
            if (!(s.values().get(key) instanceof String)) {
                problems.add("scheduler." + key + " must be a string, was " + s.values().get(key));
            }
        }
        if (problems.size() > before) {
            return;
        }
        positive("scheduler.num_train_timesteps", s.numTrainTimesteps());
        if (!(s.betaStart() > 0 && s.betaStart() < s.betaEnd() && s.betaEnd() < 1)) {
            problems.add("scheduler.beta_start and scheduler.beta_end must satisfy 0 < beta_start < beta_end < 1, were "
                    + s.betaStart() + " and " + s.betaEnd());
        }
        oneOf("scheduler.beta_schedule", s.betaSchedule(), BETA_SCHEDULES);
        oneOf("scheduler.timestep_spacing", s.timestepSpacing(), SPACINGS);
        oneOf("scheduler.prediction_type", s.predictionType(), PREDICTION_TYPES);
        if (s.stepsOffset() < 0) {
            problems.add("scheduler.steps_offset must not be negative, was " + s.stepsOffset());
        }
    }

    private void checkModels(ModelManifest m) {
        if (m.models() == null) {
            problems.add("models is missing");
            return;
        }
        boolean v2 = "v2".equals(m.photomakerVersion());
        for (ModelRole role : ModelRole.values()) {
            String field = "models." + role.key();
            ModelManifest.ModelFile f = m.models().get(role.key());
            if (f == null && role.isFaceModel() && !v2) {
                continue;
            }
            if (f == null) {
                problems.add(field + " is missing" + (role.isFaceModel() ? " (photomaker_version v2 needs the face models)" : ""));
                continue;
            }
            relativePath(field + ".path", f.path());
            if (f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                problems.add(field + ".sha256 must be 64 hex digits, was " + quoted(f.sha256()));
            }
            if (f.dtype() == null) {
                problems.add(field + ".dtype must be \"float32\" or \"float16\"");
            }
            if (role.isTextEncoder() && (f.hiddenStateOutput() == null || f.hiddenStateOutput().isBlank())) {
                problems.add(field + ".hidden_state_output must name the penultimate hidden-state output");
            }
        }
        if (m.models().containsKey(ModelRole.FACE_DETECTOR.key()) != m.models().containsKey(ModelRole.FACE_RECOGNIZER.key())) {
            problems.add("models.face_detector and models.face_recognizer come together (one is missing)");
        }
    }

    private void checkFiles(ModelManifest m) {
        if (m.files() == null) {
            return;
        }
        m.files().forEach((path, sha) -> {
            relativePath("files." + path, path);
            if (sha == null || !SHA256.matcher(sha).matches()) {
                problems.add("files." + path + " must be 64 hex digits, was " + quoted(sha));
            }
        });
    }

    private void positive(String field, int value) {
        if (value <= 0) {
            problems.add(field + " must be positive, was " + value);
        }
    }

    private void oneOf(String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            problems.add(field + " must be one of " + allowed.stream().sorted().toList() + ", was " + quoted(value));
        }
    }

    private void relativePath(String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " must be a path relative to the model directory");
            return;
        }
        try {
            Path p = Path.of(value).normalize();
            if (p.isAbsolute() || p.startsWith("..") || value.startsWith("/")) {
                problems.add(field + " must stay inside the model directory, was " + quoted(value));
            }
        } catch (InvalidPathException e) {
            problems.add(field + " is not a valid path: " + quoted(value));
        }
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
