package io.photomaker.testkit.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A tiny CLIP-style byte-level BPE vocabulary in Hugging Face format: the 256 byte symbols, the same with
 * {@code </w>}, merges that make each of {@link #WORDS} a single token, then {@code <|startoftext|>} and
 * {@code <|endoftext|>}. Any text still tokenizes (falling back to byte symbols); ids follow CLIP's layout.
 */
public final class TinyVocabulary {

    /** Words that encode to one token each (prompt words, class words, the trigger word and style words). */
    public static final List<String> WORDS = List.of(
            "a", "an", "the", "of", "in", "on", "at", "with", "and", "wearing", "photo", "portrait", "picture",
            "woman", "man", "girl", "boy", "person", "people", "child", "img", "old", "young", "smiling", "happy",
            "face", "hair", "eyes", "red", "blue", "green", "black", "white", "golden", "dress", "shirt", "hat",
            "glasses", "suit", "jacket", "spacesuit", "astronaut", "beach", "city", "street", "park", "forest",
            "mountain", "snow", "night", "sunset", "light", "background", "cinematic", "film", "still", "style",
            "art", "digital", "painting", "anime", "comic", "book", "fantasy", "neonpunk", "lowpoly", "line",
            "highly", "detailed", "realistic", "sharp", "focus", "best", "quality", "high", "resolution", "close",
            "up", "standing", "sitting", "holding", "cup", "coffee", "flower", "cat", "dog", "car", "nsfw",
            "lowres", "bad", "anatomy", "hands", "text", "error", "worst", "low", "blurry", "watermark",
            "signature", "cropped", "jpeg", "artifacts", "missing", "fingers", "extra", "normal", "username");

    public static final String START_OF_TEXT = "<|startoftext|>";
    public static final String END_OF_TEXT = "<|endoftext|>";
    static final String END_OF_WORD = "</w>";

    private final Map<String, Integer> vocab;
    private final List<String[]> merges;

    private TinyVocabulary(Map<String, Integer> vocab, List<String[]> merges) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.merges = List.copyOf(merges);
    }

    /** Builds the vocabulary; deterministic. */
    public static TinyVocabulary build() {
        List<String> symbols = byteSymbols();
        List<String[]> merges = mergesFor(WORDS);
        var vocab = new LinkedHashMap<String, Integer>();
        symbols.forEach(s -> vocab.put(s, vocab.size()));
        symbols.forEach(s -> vocab.put(s + END_OF_WORD, vocab.size()));
        merges.forEach(m -> vocab.putIfAbsent(m[0] + m[1], vocab.size()));
        vocab.put(START_OF_TEXT, vocab.size());
        vocab.put(END_OF_TEXT, vocab.size());
        return new TinyVocabulary(vocab, merges);
    }

    /** Number of tokens; the text encoders' embedding tables have this many rows. */
    public int size() {
        return vocab.size();
    }

    public int startOfTextId() {
        return vocab.get(START_OF_TEXT);
    }

    public int endOfTextId() {
        return vocab.get(END_OF_TEXT);
    }

    /** The id of a whole word of {@link #WORDS} (as the token {@code word</w>}). */
    public int wordId(String word) {
        Integer id = vocab.get(word + END_OF_WORD);
        if (id == null) {
            throw new IllegalArgumentException("not a single-token word of the tiny vocabulary: " + word);
        }
        return id;
    }

    /** Token -> id map (insertion order = id order). */
    public Map<String, Integer> vocab() {
        return vocab;
    }

    /** vocab.json content (Hugging Face format: token -> id, in id order). */
    public String vocabJson() {
        try {
            return new ObjectMapper().writeValueAsString(vocab);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** merges.txt content (Hugging Face format: a version line, then one "left right" pair per line by rank). */
    public String mergesTxt() {
        var text = new StringBuilder("#version: 0.2\n");
        merges.forEach(m -> text.append(m[0]).append(' ').append(m[1]).append('\n'));
        return text.toString();
    }

    /**
     * GPT-2/CLIP byte-to-symbol table in CLIP's vocabulary order: printable Latin-1 bytes keep their
     * character, the remaining bytes map to code points from 256 upwards.
     */
    static List<String> byteSymbols() {
        var printable = new ArrayList<Integer>();
        for (int b = '!'; b <= '~'; b++) {
            printable.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable.add(b);
        }
        var symbols = new ArrayList<String>();
        printable.forEach(b -> symbols.add(String.valueOf((char) (int) b)));
        int next = 256;
        for (int b = 0; b < 256; b++) {
            if (!printable.contains(b)) {
                symbols.add(String.valueOf((char) next++));
            }
        }
        return symbols;
    }

    /**
     * Merges in rank order such that BPE turns each word into one symbol. Each word is first reduced with
     * the merges found so far; new merges are appended (lowest priority) until it is one symbol, so they
     * never change how earlier words reduce.
     */
    static List<String[]> mergesFor(List<String> words) {
        var ranks = new HashMap<String, Integer>();
        var merges = new ArrayList<String[]>();
        for (String word : new LinkedHashSet<>(words)) {
            List<String> parts = reduce(symbolsOf(word), ranks);
            while (parts.size() > 1) {
                String[] merge = {parts.get(0), parts.get(1)};
                ranks.put(merge[0] + " " + merge[1], merges.size());
                merges.add(merge);
                parts = reduce(parts, ranks);
            }
        }
        return merges;
    }

    private static List<String> symbolsOf(String word) {
        var parts = new ArrayList<String>();
        for (int i = 0; i < word.length(); i++) {
            String c = String.valueOf(word.charAt(i));
            parts.add(i == word.length() - 1 ? c + END_OF_WORD : c);
        }
        return parts;
    }

    /** Standard BPE: repeatedly merge the adjacent pair of lowest rank. */
    static List<String> reduce(List<String> start, Map<String, Integer> ranks) {
        var parts = new ArrayList<>(start);
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            String merged = parts.get(best) + parts.get(best + 1);
            String left = parts.get(best);
            String right = parts.get(best + 1);
            for (int i = 0; i + 1 < parts.size(); i++) {
                if (parts.get(i).equals(left) && parts.get(i + 1).equals(right)) {
                    parts.set(i, merged);
                    parts.remove(i + 1);
                }
            }
        }
        return parts;
    }
}
