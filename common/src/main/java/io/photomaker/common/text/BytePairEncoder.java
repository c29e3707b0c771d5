package io.photomaker.common.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-pair encoding of one word with CLIP's merge ranks: the word is spelled in the byte-level
 * alphabet, {@code </w>} is attached to its last symbol, and the adjacent pair with the lowest merge
 * rank is merged everywhere (left to right) until no ranked pair is left. Results are cached per word
 * in a bounded, thread-safe least-recently-used map.
 */
final class BytePairEncoder {

    static final String END_OF_WORD = "</w>";

    /** Merge rank keyed by "left right" (the symbols never contain a space). */
    private final Map<String, Integer> mergeRanks;
    private final Map<String, List<String>> cache;

    BytePairEncoder(Map<String, Integer> mergeRanks, int cacheSize) {
        this.mergeRanks = mergeRanks;
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** The BPE symbols of one byte-level word, the last one ending in {@code </w>}. */
    List<String> symbols(String byteLevelWord) {
        synchronized (cache) {
            List<String> cached = cache.get(byteLevelWord);
            if (cached != null) {
                return cached;
            }
        }
        List<String> merged = List.copyOf(merge(byteLevelWord));
        synchronized (cache) {
            cache.put(byteLevelWord, merged);
        }
        return merged;
    }

    int cachedWords() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private List<String> merge(String word) {
        List<String> symbols = new ArrayList<>(word.length());
        for (int i = 0; i < word.length(); i++) {
            symbols.add(String.valueOf(word.charAt(i)));
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + END_OF_WORD);
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String bestLeft = null;
            String bestRight = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = mergeRanks.get(symbols.get(i) + ' ' + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    bestLeft = symbols.get(i);
                    bestRight = symbols.get(i + 1);
                }
            }
            if (bestLeft == null) {
                break;
            }
            symbols = mergeAll(symbols, bestLeft, bestRight);
        }
        return symbols;
    }

    private static List<String> mergeAll(List<String> symbols, String left, String right) {
        List<String> out = new ArrayList<>(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                out.add(left + right);
                i++;
            } else {
                out.add(symbols.get(i));
            }
        }
        return out;
    }
}
