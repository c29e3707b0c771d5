package io.photomaker.worker.pipeline.prompt;

import io.photomaker.common.text.ClipTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face format vocabulary without merges, so every word becomes one token per character
 * (the last one with {@code </w>}); ids are easy to write by hand: letter {@code c} is
 * {@code c - 'a' + 1}, with {@code </w>} it is 100 more; ',' is 30/130, '!' is 0, start 200, end 201.
 */
final class CharacterVocabulary {

    static final int BOS = 200;
    static final int EOS = 201;

    private CharacterVocabulary() {
    }

    static ClipTokenizer write(Path dir) throws IOException {
        StringBuilder json = new StringBuilder("{\"!\": 0, \",\": 30, \",</w>\": 130");
        for (char c = 'a'; c <= 'z'; c++) {
            json.append(", \"").append(c).append("\": ").append(letter(c));
            json.append(", \"").append(c).append("</w>\": ").append(end(c));
        }
        json.append(", \"<|startoftext|>\": ").append(BOS).append(", \"<|endoftext|>\": ").append(EOS).append('}');
        Files.writeString(dir.resolve("vocab.json"), json);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        return ClipTokenizer.load(dir);
    }

    /** Id of a letter inside a word. */
    static int letter(char c) {
        return c - 'a' + 1;
    }

    /** Id of a letter that ends a word. */
    static int end(char c) {
        return letter(c) + 100;
    }
}
