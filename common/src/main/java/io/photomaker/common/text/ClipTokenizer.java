package io.photomaker.common.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * CLIP's byte-level BPE tokenizer (the one both SDXL text encoders use), exact to the reference:
 * CLIP text cleanup ({@link ClipTextCleaner}), CLIP pre-tokenisation ({@link ClipPreTokenizer}),
 * byte-level alphabet, BPE with {@code </w>} on the last symbol and the file's merge ranks. Immutable
 * apart from its bounded word cache; safe to share between threads.
 */
public final class ClipTokenizer {

    /** How many distinct words keep their BPE result cached. */
    public static final int WORD_CACHE_SIZE = 16_384;

    private final ClipVocabulary vocabulary;
    private final BytePairEncoder encoder;

    private ClipTokenizer(ClipVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.encoder = new BytePairEncoder(vocabulary.mergeRanks(), WORD_CACHE_SIZE);
    }

    /**
     * Loads a vocabulary from CLIP's {@code bpe_simple_vocab_16e6.txt.gz}, from a directory holding a
     * Hugging Face {@code vocab.json} + {@code merges.txt}, or from such a {@code vocab.json} path
     * (its {@code merges.txt} sibling is used).
     *
     * @throws IOException if the files are missing, unreadable or malformed
     */
    public static ClipTokenizer load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return fromHuggingFace(path.resolve("vocab.json"), path.resolve("merges.txt"));
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "expected a CLIP .txt.gz merges file, a vocab.json, or a directory with vocab.json + merges.txt");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".json")) {
            Path parent = path.toAbsolutePath().getParent();
            return fromHuggingFace(path, parent.resolve("merges.txt"));
        }
        return new ClipTokenizer(ClipVocabulary.fromClipMerges(path));
    }

    /** Loads a Hugging Face CLIP tokenizer from its two files. */
    public static ClipTokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        for (Path required : List.of(vocabJson, mergesTxt)) {
            if (!Files.isRegularFile(required)) {
                throw new NoSuchFileException(required.toString(), null, "Hugging Face tokenizer file missing");
            }
        }
        return new ClipTokenizer(ClipVocabulary.fromHuggingFace(vocabJson, mergesTxt));
    }

    /** Token ids of {@code text} without start/end markers, padding or truncation. */
    public int[] encode(String text) {
        return concat(encodeWords(words(text)), false);
    }

    /** Token ids framed by the start and end ids, without padding or truncation. */
    public int[] encodeWithSpecials(String text) {
        return concat(encodeWords(words(text)), true);
    }

    /** The cleaned pre-tokenised words of {@code text}, in order. */
    public List<String> words(String text) {
        return ClipPreTokenizer.words(text);
    }

    /** Token ids of each word, in order; words are already cleaned, as {@link #words} returns them. */
    public List<int[]> encodeWords(List<String> words) {
        List<int[]> ids = new ArrayList<>(words.size());
        for (String word : words) {
            ids.add(encodeWord(word));
        }
        return ids;
    }

    /**
     * Token ids of one cleaned word. The special markers map to their ids; a BPE symbol missing from
     * the vocabulary (possible only with a reduced vocabulary) maps to the end id, CLIP's unknown token.
     */
    public int[] encodeWord(String word) {
        if (word.isEmpty()) {
            throw new IllegalArgumentException("a word is never empty");
        }
        if (ClipPreTokenizer.isSpecial(word)) {
            return new int[] {word.equals(ClipPreTokenizer.START_OF_TEXT) ? bosId() : eosId()};
        }
        List<String> symbols = encoder.symbols(ByteLevelAlphabet.encode(word));
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.tokenIds().getOrDefault(symbols.get(i), eosId());
        }
        return ids;
    }

    /** Id of {@code <|startoftext|>}. */
    public int bosId() {
        return vocabulary.bosId();
    }

    /** Id of {@code <|endoftext|>}. */
    public int eosId() {
        return vocabulary.eosId();
    }

    /** One more than the largest id: every id lies in {@code [0, vocabularySize())}. */
    public int vocabularySize() {
        return vocabulary.size();
    }

    /** The id of a vocabulary entry spelled in the byte-level alphabet, e.g. {@code "img</w>"}. */
    public OptionalInt tokenId(String token) {
        Integer id = vocabulary.tokenIds().get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** How many BPE merges the vocabulary ranks. */
    public int mergeCount() {
        return vocabulary.mergeRanks().size();
    }

    private int[] concat(List<int[]> perWord, boolean withSpecials) {
        int length = withSpecials ? 2 : 0;
        for (int[] ids : perWord) {
            length += ids.length;
        }
        int[] out = new int[length];
        int position = 0;
        if (withSpecials) {
            out[position++] = bosId();
        }
        for (int[] ids : perWord) {
            System.arraycopy(ids, 0, out, position, ids.length);
            position += ids.length;
        }
        if (withSpecials) {
            out[position] = eosId();
        }
        return out;
    }
}
