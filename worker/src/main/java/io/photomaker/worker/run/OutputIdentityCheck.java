package io.photomaker.worker.run;

import io.photomaker.worker.pipeline.GeneratedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity check of a job's outputs (PhotoMaker's face-similarity metric turned into quality control):
 * each output is scored by the cosine similarity of its face to the ID photos' faces; while the job's budget of
 * regenerations lasts, an output scoring below {@code min_identity_similarity} (or showing no face) is generated
 * again with the next unused seed, and the better-scoring image of the two is kept. Outputs are visited in order,
 * so earlier outputs get the budget first. Pure control flow: generating and scoring are passed in.
 */
public final class OutputIdentityCheck {

    /**
     * One output after the check.
     *
     * @param similarity its face's similarity to the ID photos, or null when no face was found (or none can be scored)
     * @param generations images generated for this output (1 + regenerations spent on it)
     */
    public record Checked(GeneratedImage image, Double similarity, int generations) {
    }

    /** Generates one image with the given seed. */
    @FunctionalInterface
    public interface Generator {
        GeneratedImage generate(long seed);
    }

    /** The identity similarity of an image, or null when it shows no face. */
    @FunctionalInterface
    public interface Scorer {
        Double similarity(GeneratedImage image);
    }

    private OutputIdentityCheck() {
    }

    /**
     * Scores {@code outputs} and regenerates those below {@code min} (null: score only) within {@code budget}
     * regenerations, drawing seeds from {@code firstSpareSeed} upwards.
     */
    public static List<Checked> run(List<GeneratedImage> outputs, Double min, int budget, long firstSpareSeed,
                                    Generator generator, Scorer scorer) {
        List<Checked> checked = new ArrayList<>();
        for (GeneratedImage image : outputs) {
            checked.add(new Checked(image, scorer.similarity(image), 1));
        }
        long seed = firstSpareSeed;
        int left = budget;
        for (int i = 0; i < checked.size() && left > 0; i++) {
            while (left > 0 && below(checked.get(i).similarity(), min)) {
                GeneratedImage again = generator.generate(seed++);
                left--;
                Double similarity = scorer.similarity(again);
                Checked current = checked.get(i);
                checked.set(i, better(similarity, current.similarity())
                        ? new Checked(again, similarity, current.generations() + 1)
                        : new Checked(current.image(), current.similarity(), current.generations() + 1));
            }
        }
        return checked;
    }

    /** Whether an output with this similarity needs another try. */
    public static boolean below(Double similarity, Double min) {
        return min != null && (similarity == null || similarity < min);
    }

    private static boolean better(Double candidate, Double incumbent) {
        return candidate != null && (incumbent == null || candidate > incumbent);
    }
}
