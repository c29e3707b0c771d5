package io.photomaker.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The merge loop and the bounded cache, on a tiny rank table. */
class BytePairEncoderTest {

    @Test
    void the_lowest_ranked_pair_merges_first_everywhere_in_the_word() {
        BytePairEncoder bpe = new BytePairEncoder(Map.of("a a", 0, "aa a</w>", 1, "aa aa", 2), 8);
        // a a a a a</w>: rank 0 pairs merge left to right without overlap -> aa aa a</w>;
        // then rank 1 (aa a</w>) beats rank 2 (aa aa) although it stands further right.
        assertEquals(List.of("aa", "aaa</w>"), bpe.symbols("aaaaa"));
        assertEquals(List.of("aa", "a", "a</w>"), bpe.symbols("aaaa"));
        assertEquals(List.of("a</w>"), bpe.symbols("a"));
    }

    @Test
    void the_cache_never_holds_more_words_than_its_bound() {
        BytePairEncoder bpe = new BytePairEncoder(Map.of("a b", 0), 3);
        for (String word : List.of("ab", "ba", "abab", "bb", "aab")) {
            bpe.symbols(word);
        }
        assertEquals(3, bpe.cachedWords());
        assertEquals(List.of("ab", "b</w>"), bpe.symbols("abb"));
    }
}
