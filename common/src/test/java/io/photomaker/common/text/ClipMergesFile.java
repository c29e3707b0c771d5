package io.photomaker.common.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real CLIP merges file in the shared data folder next to the repository. */
final class ClipMergesFile {

    private static final Path RELATIVE = Path.of("shared", "data", "clip", "bpe_simple_vocab_16e6.txt.gz");

    private ClipMergesFile() {
    }

    /** The file, or a skipped test naming where it was looked for. */
    static Path require() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "CLIP merges file not found: looked for " + RELATIVE + " in " + start
                + " and every folder above it (expected <repo>/../shared/data/clip/bpe_simple_vocab_16e6.txt.gz)");
        throw new AssertionError("unreachable");
    }
}
