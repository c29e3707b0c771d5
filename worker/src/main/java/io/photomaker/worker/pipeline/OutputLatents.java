package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.worker.pipeline.noise.JobNoise;
import io.photomaker.worker.pipeline.schedule.Scheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import io.photomaker.worker.pipeline.schedule.Schedulers;

/**
 * The latents of all outputs of one generation, started as the reference starts them: one noise draw of shape
 * {@code [outputs, C, h, w]} from the job's torch generator, times the scheduler's initial sigma, held in the
 * dtype the reference draws in; output i is slice i. Each output has its own scheduler, whose stochastic steps
 * take draw {@code 1 + step} of the same generator (its slice i), as the reference's ancestral sampler does.
 */
final class OutputLatents {

    private final JobNoise noise;
    private final Scheduler[] schedulers;
    private final float[][] latents;
    private final int channels;
    private final int height;
    private final int width;

    OutputLatents(GenerationRequest request, ModelManifest.Dims dims, SchedulerConfig config) {
        this.channels = dims.latentChannels();
        this.height = request.height() / dims.vaeScaleFactorSpatial();
        this.width = request.width() / dims.vaeScaleFactorSpatial();
        int slice = channels * height * width;
        try {
            this.noise = request.noise().create(request.seed(), request.numOutputs(), slice);
        } catch (IllegalArgumentException e) {
            throw PipelineException.badInput(ErrorType.INVALID_REQUEST, "noise", e.getMessage());
        }
        this.schedulers = new Scheduler[request.numOutputs()];
        this.latents = new float[request.numOutputs()][slice];
        for (int output = 0; output < schedulers.length; output++) {
            int which = output;
            schedulers[output] = Schedulers.create(request.scheduler(), config, request.steps(),
                    (step, out) -> noise.fill(1 + step, which, out));
        }
    }

    /** Draws the initial latents of every output; {@code recorder} sees the draw and the scaled latents. */
    void draw(GenerationRecorder recorder) {
        float[] draw = noise.draw(0);
        recorder.tensor("noise", shape(), draw);
        int slice = latents[0].length;
        float[] standard = new float[slice];
        for (int output = 0; output < latents.length; output++) {
            System.arraycopy(draw, output * slice, standard, 0, slice);
            schedulers[output].initLatents(standard, latents[output]);
            // the reference multiplies in its own dtype: the product is rounded to it
            noise.dtype().roundAll(latents[output]);
        }
        recorder.tensor("latents-initial", shape(), all());
    }

    /** Output {@code output}'s latents, denoised in place. */
    float[] of(int output) {
        return latents[output];
    }

    Scheduler scheduler(int output) {
        return schedulers[output];
    }

    int height() {
        return height;
    }

    int width() {
        return width;
    }

    /** {@code [outputs, C, h, w]}. */
    long[] shape() {
        return new long[] {latents.length, channels, height, width};
    }

    /** Every output's latents, output-major. */
    float[] all() {
        int slice = latents[0].length;
        float[] out = new float[latents.length * slice];
        for (int output = 0; output < latents.length; output++) {
            System.arraycopy(latents[output], 0, out, output * slice, slice);
        }
        return out;
    }

    /** The timesteps of the schedule, in order. */
    double[] timesteps() {
        Scheduler scheduler = schedulers[0];
        double[] out = new double[scheduler.stepCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scheduler.timestep(i);
        }
        return out;
    }
}
