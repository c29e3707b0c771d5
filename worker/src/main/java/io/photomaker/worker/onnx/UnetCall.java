package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.Map;

/**
 * The tensors of one UNet session run with reusable buffers: a batch whose rows are guidance branches,
 * one output's rows after another when several outputs share the run.
 */
final class UnetCall implements AutoCloseable {

    private final Unet.Branch[] rows;
    /** The output each row belongs to. */
    private final int[] outputOf;
    private final String rowNames;
    private final int sampleSize;
    private final int hiddenSize;
    private final int pooledSize;
    private final boolean scalarTimestep;
    private final TensorSlot sample;
    private final TensorSlot timestep;
    private final TensorSlot hidden;
    private final TensorSlot pooled;
    private final TensorSlot timeIds;
    private final TensorSlot out;
    private final Map<String, OnnxTensor> feeds;
    private final Map<String, OnnxTensor> pinned;

    UnetCall(Unet unet, Unet.Rows plan, int height, int width) throws OrtException {
        var env = unet.environment();
        this.rows = plan.branches().clone();
        this.outputOf = plan.outputs().clone();
        var names = new java.util.ArrayList<String>();
        for (int r = 0; r < rows.length; r++) {
            names.add(rows[r].name().toLowerCase(java.util.Locale.ROOT) + ":" + outputOf[r]);
        }
        this.rowNames = String.join(",", names);
        long n = rows.length;
        this.sampleSize = unet.channels() * height * width;
        this.hiddenSize = unet.maxTokens() * unet.promptDim();
        this.pooledSize = unet.pooledDim();
        this.scalarTimestep = unet.input(Unet.TIMESTEP).rank() == 0;
        sample = new TensorSlot(env, unet.input(Unet.SAMPLE).type());
        timestep = new TensorSlot(env, unet.input(Unet.TIMESTEP).type());
        hidden = new TensorSlot(env, unet.input(Unet.HIDDEN).type());
        pooled = new TensorSlot(env, unet.input(Unet.POOLED).type());
        timeIds = new TensorSlot(env, unet.input(Unet.TIME_IDS).type());
        out = new TensorSlot(env, unet.output(Unet.OUT).type());
        try {
            feeds = Map.of(
                    Unet.SAMPLE, sample.shaped(n, unet.channels(), height, width),
                    Unet.TIMESTEP, scalarTimestep ? timestep.shaped() : timestep.shaped(n),
                    Unet.HIDDEN, hidden.shaped(n, unet.maxTokens(), unet.promptDim()),
                    Unet.POOLED, pooled.shaped(n, unet.pooledDim()),
                    Unet.TIME_IDS, timeIds.shaped(n, 6));
            pinned = Map.of(Unet.OUT, out.shaped(n, unet.channels(), height, width));
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    void setBranch(Unet.Branch branch, float[] hiddenStates, float[] pooledEmbedding, float[] ids) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == branch) {
                hidden.putFloats(r * hiddenSize, hiddenStates, 0, hiddenSize);
                pooled.putFloats(r * pooledSize, pooledEmbedding, 0, pooledSize);
                timeIds.putFloats(r * 6, ids, 0, 6);
            }
        }
    }

    void writeInputs(float[][] latentInputs, double t) {
        for (int r = 0; r < rows.length; r++) {
            sample.putFloats(r * sampleSize, latentInputs[outputOf[r]], 0, sampleSize);
            if (!scalarTimestep) {
                timestep.putNumber(r, t);
            }
        }
        if (scalarTimestep) {
            timestep.putNumber(0, t);
        }
    }

    void readOutputs(float[][] noiseUncond, float[][] noiseCond) {
        for (int r = 0; r < rows.length; r++) {
            float[] target = rows[r] == Unet.Branch.CONDITIONAL ? noiseCond[outputOf[r]] : noiseUncond[outputOf[r]];
            out.getFloats(r * sampleSize, target, 0, sampleSize);
        }
    }

    /** The batch rows, e.g. {@code unconditional,conditional}. */
    String rowNames() {
        return rowNames;
    }

    Map<String, OnnxTensor> feeds() {
        return feeds;
    }

    Map<String, OnnxTensor> pinnedOutputs() {
        return pinned;
    }

    @Override
    public void close() {
        sample.close();
        timestep.close();
        hidden.close();
        pooled.close();
        timeIds.close();
        out.close();
    }
}
