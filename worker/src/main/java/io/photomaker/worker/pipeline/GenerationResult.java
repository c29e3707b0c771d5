package io.photomaker.worker.pipeline;

import java.util.List;

/** The images of one generation, output i made with seed + i. */
public record GenerationResult(List<GeneratedImage> images) {

    public GenerationResult {
        images = List.copyOf(images);
    }
}
