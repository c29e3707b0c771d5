package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDXL UNet driven for classifier-free guidance. Models with a dynamic (or fixed 2) batch run both
 * branches in one call; fixed batch-1 exports run one call per branch. A dynamic batch also carries several
 * outputs of one request in one call (rows: output 0's unconditional and conditional branch, output 1's,
 * ...). The timestep may be a float scalar or an int64/float [B] tensor. All inputs live in preallocated
 * direct buffers reused across steps and the output is written by ONNX Runtime straight into our buffer,
 * so a step allocates nothing.
 *
 * <p>Use: {@link #prepare} per image size and output count, {@link #setBranch} whenever a branch's
 * conditioning changes, {@link #predict} per denoising step. Not thread-safe.
 */
public final class Unet extends OnnxModel {

    /** The two halves of a classifier-free-guidance batch (diffusers order: unconditional first). */
    public enum Branch { UNCONDITIONAL, CONDITIONAL }

    static final String SAMPLE = "sample";
    static final String TIMESTEP = "timestep";
    static final String HIDDEN = "encoder_hidden_states";
    static final String POOLED = "text_embeds";
    static final String TIME_IDS = "time_ids";
    static final String OUT = "out_sample";

    private final int channels;
    private final int maxTokens;
    private final int promptDim;
    private final int pooledDim;
    private final long declaredBatch;
    private final List<UnetCall> calls = new ArrayList<>();
    private int latentHeight = -1;
    private int latentWidth = -1;
    private boolean guided;
    private int outputs;
    private long predictions;
    private long sessionRuns;

    /** Opens the UNet at {@code path} expecting the widths in {@code dims}. */
    public Unet(SessionFactory factory, Path path, ModelManifest.Dims dims) {
        this(factory, path, dims.latentChannels(), dims.maxTokens(), dims.promptDim(), dims.pooledDim());
    }

    /** Opens the UNet at {@code path} expecting the given widths. */
    public Unet(SessionFactory factory, Path path, int channels, int maxTokens, int promptDim, int pooledDim) {
        super(factory, path, ModelInterface.of("unet")
                .input(SAMPLE, ElementType.FLOATS, -1, channels, -1, -1)
                .inputWithShapes(TIMESTEP, java.util.EnumSet.of(ElementType.FLOAT32, ElementType.FLOAT16, ElementType.INT64),
                        List.of(new long[0], new long[] {-1}))
                .input(HIDDEN, ElementType.FLOATS, -1, maxTokens, promptDim)
                .input(POOLED, ElementType.FLOATS, -1, pooledDim)
                .input(TIME_IDS, ElementType.FLOATS, -1, 6)
                .output(OUT, ElementType.FLOATS, -1, channels, -1, -1));
        this.channels = channels;
        this.maxTokens = maxTokens;
        this.promptDim = promptDim;
        this.pooledDim = pooledDim;
        this.declaredBatch = input(SAMPLE).dim(0);
        if (declaredBatch != -1 && declaredBatch != 1 && declaredBatch != 2) {
            close();
            throw new ModelException(ErrorType.MODEL_INTERFACE_MISMATCH, "unet model " + path
                    + " has a fixed batch of " + declaredBatch + "; only dynamic, 1 or 2 can be driven");
        }
    }

    /** Whether both guidance branches run in one call (dynamic or fixed-2 batch). */
    public boolean batchesBranchesTogether() {
        return declaredBatch != 1;
    }

    /** Most outputs one call can carry: unlimited for a dynamic batch axis, otherwise one. */
    public int maxOutputsPerCall() {
        return declaredBatch == -1 ? Integer.MAX_VALUE : 1;
    }

    /** Number of {@link #predict} calls so far (one per denoising step of a group of outputs). */
    public long predictionCount() {
        return predictions;
    }

    /** Number of session runs so far (one or two per prediction). */
    public long sessionRunCount() {
        return sessionRuns;
    }

    /**
     * Sets up the tensors for latents of {@code height x width}; {@code guided} runs both branches,
     * otherwise only the conditional one. Keeps existing tensors when nothing changed.
     *
     * @throws ModelException unsupported_shape when a fixed-size export does not accept this size
     */
    public void prepare(int height, int width, boolean guided) {
        prepare(height, width, guided, 1);
    }

    /**
     * As {@link #prepare(int, int, boolean)} for {@code outputs} latents predicted together (at most
     * {@link #maxOutputsPerCall()}).
     */
    public void prepare(int height, int width, boolean guided, int outputs) {
        Port sample = input(SAMPLE);
        if (height < 1 || width < 1 || !sample.accepts(2, height) || !sample.accepts(3, width)) {
            throw new ModelException(ErrorType.UNSUPPORTED_SHAPE, "unet model " + path() + " takes " + sample
                    + ", not latents of " + height + "x" + width);
        }
        if (outputs < 1 || outputs > maxOutputsPerCall()) {
            throw new IllegalArgumentException("unet model " + path() + " predicts 1.." + maxOutputsPerCall()
                    + " outputs per call, not " + outputs);
        }
        if (height == latentHeight && width == latentWidth && guided == this.guided && outputs == this.outputs
                && !calls.isEmpty()) {
            return;
        }
        closeCalls();
        try {
            for (Rows rows : plan(guided, outputs)) {
                calls.add(new UnetCall(this, rows, height, width));
            }
        } catch (OrtException e) {
            closeCalls();
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "unet: cannot create tensors", true, e);
        }
        latentHeight = height;
        latentWidth = width;
        this.guided = guided;
        this.outputs = outputs;
    }

    /** The rows of one session run: each row's guidance branch and the output whose latents it carries. */
    record Rows(Branch[] branches, int[] outputs) {
        static Rows ofOneOutput(Branch... branches) {
            return new Rows(branches, new int[branches.length]);
        }
    }

    /** The session runs of one prediction; with several outputs (dynamic batch only), each output's rows in turn. */
    private List<Rows> plan(boolean guided, int outputs) {
        if (outputs > 1) {
            Branch[] perOutput = guided ? new Branch[] {Branch.UNCONDITIONAL, Branch.CONDITIONAL}
                    : new Branch[] {Branch.CONDITIONAL};
            Branch[] branches = new Branch[perOutput.length * outputs];
            int[] owners = new int[branches.length];
            for (int r = 0; r < branches.length; r++) {
                branches[r] = perOutput[r % perOutput.length];
                owners[r] = r / perOutput.length;
            }
            return List.of(new Rows(branches, owners));
        }
        if (guided) {
            return batchesBranchesTogether()
                    ? List.of(Rows.ofOneOutput(Branch.UNCONDITIONAL, Branch.CONDITIONAL))
                    : List.of(Rows.ofOneOutput(Branch.UNCONDITIONAL), Rows.ofOneOutput(Branch.CONDITIONAL));
        }
        return declaredBatch == 2
                ? List.of(Rows.ofOneOutput(Branch.CONDITIONAL, Branch.CONDITIONAL))
                : List.of(Rows.ofOneOutput(Branch.CONDITIONAL));
    }

    /**
     * Sets one branch's conditioning: prompt embeddings [max_tokens * prompt_dim], pooled [pooled_dim],
     * time ids [6]. Converted into the model's buffers once, not per step.
     */
    public void setBranch(Branch branch, float[] hiddenStates, float[] pooled, float[] timeIds) {
        requirePrepared();
        requireLength("hidden states", hiddenStates, maxTokens * promptDim);
        requireLength("pooled embedding", pooled, pooledDim);
        requireLength("time ids", timeIds, 6);
        for (UnetCall call : calls) {
            call.setBranch(branch, hiddenStates, pooled, timeIds);
        }
    }

    /**
     * Predicts the noise for one latent input (already scaled for the scheduler) at {@code timestep}.
     *
     * @param noiseUncond receives the unconditional prediction (ignored when not guided)
     * @param noiseCond receives the conditional prediction
     */
    public void predict(float[] latentInput, double timestep, float[] noiseUncond, float[] noiseCond) {
        predict(new float[][] {latentInput}, timestep, new float[][] {noiseUncond}, new float[][] {noiseCond});
    }

    /**
     * Predicts the noise for each prepared output's latent input at {@code timestep}, in one session run
     * when the batch axis is dynamic: {@code noiseUncond[o]} and {@code noiseCond[o]} receive output o's.
     */
    public void predict(float[][] latentInputs, double timestep, float[][] noiseUncond, float[][] noiseCond) {
        requirePrepared();
        if (latentInputs.length != outputs || noiseUncond.length != outputs || noiseCond.length != outputs) {
            throw new IllegalArgumentException("unet: prepared for " + outputs + " outputs, got " + latentInputs.length);
        }
        int size = channels * latentHeight * latentWidth;
        for (int o = 0; o < outputs; o++) {
            requireLength("latent input", latentInputs[o], size);
            requireLength("conditional noise output", noiseCond[o], size);
            if (guided) {
                requireLength("unconditional noise output", noiseUncond[o], size);
            }
        }
        for (int c = 0; c < calls.size(); c++) {
            UnetCall call = calls.get(c);
            call.writeInputs(latentInputs, timestep);
            runInto(call.feeds(), call.pinnedOutputs(), call.rowNames());
            sessionRuns++;
            call.readOutputs(noiseUncond, noiseCond);
        }
        predictions++;
    }

    int channels() {
        return channels;
    }

    int maxTokens() {
        return maxTokens;
    }

    int promptDim() {
        return promptDim;
    }

    int pooledDim() {
        return pooledDim;
    }

    private void requirePrepared() {
        if (calls.isEmpty()) {
            throw new IllegalStateException("unet: call prepare(height, width, guided) first");
        }
    }

    private static void requireLength(String what, float[] values, int expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException("unet: " + what + " must have " + expected + " values, got "
                    + (values == null ? "none" : values.length));
        }
    }

    private void closeCalls() {
        calls.forEach(UnetCall::close);
        calls.clear();
        latentHeight = -1;
        latentWidth = -1;
    }

    @Override
    protected void closeResources() {
        closeCalls();
    }
}
