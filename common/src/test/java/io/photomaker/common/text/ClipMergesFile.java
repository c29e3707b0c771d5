package io.photomaker.common.text;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real CLIP merges file vendored with the tests ({@code testdata/clip}, MIT, with its licence). */
final class ClipMergesFile {

    private static final Path RELATIVE = Path.of("testdata", "clip", "bpe_simple_vocab_16e6.txt.gz");

    private ClipMergesFile() {
    }

    /** The file; a missing file fails the test (it is part of the repository), naming where it was looked for. */
    static Path require() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("CLIP merges file not found: looked for " + RELATIVE + " in " + start
                + " and every folder above it");
    }
}
