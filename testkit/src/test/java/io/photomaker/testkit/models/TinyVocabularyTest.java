package io.photomaker.testkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TinyVocabularyTest {

    private final TinyVocabulary vocabulary = TinyVocabulary.build();

    @Test
    void ids_follow_the_clip_layout() {
        Map<String, Integer> vocab = vocabulary.vocab();
        assertEquals(0, vocab.get("!"));
        assertEquals(64, vocab.get("a"));
        assertEquals(256 + 64, vocab.get("a</w>"));
        assertEquals(vocabulary.size() - 2, vocabulary.startOfTextId());
        assertEquals(vocabulary.size() - 1, vocabulary.endOfTextId());
        assertEquals(256, TinyVocabulary.byteSymbols().size());
        assertEquals(256, new HashSet<>(TinyVocabulary.byteSymbols()).size());
    }

    @Test
    void vocab_json_is_a_complete_token_to_id_map() throws Exception {
        Map<String, Integer> parsed = new ObjectMapper().readValue(vocabulary.vocabJson(), new TypeReference<>() { });

        assertEquals(vocabulary.size(), parsed.size());
        assertEquals(vocabulary.size(), new HashSet<>(parsed.values()).size());
        assertTrue(parsed.values().stream().allMatch(id -> id >= 0 && id < vocabulary.size()));
        assertEquals(vocabulary.endOfTextId(), parsed.get(TinyVocabulary.END_OF_TEXT));
    }

    @Test
    void every_listed_word_becomes_one_token_with_the_written_merges() {
        List<String> lines = vocabulary.mergesTxt().lines().toList();
        assertTrue(lines.get(0).startsWith("#version"));
        var ranks = new HashMap<String, Integer>();
        for (int i = 1; i < lines.size(); i++) {
            ranks.put(lines.get(i), i - 1);
        }
        for (String word : TinyVocabulary.WORDS) {
            var symbols = new ArrayList<String>();
            for (int i = 0; i < word.length(); i++) {
                symbols.add(word.charAt(i) + (i == word.length() - 1 ? "</w>" : ""));
            }
            List<String> tokens = TinyVocabulary.reduce(symbols, ranks);
            assertEquals(List.of(word + "</w>"), tokens, word);
            assertTrue(vocabulary.vocab().containsKey(tokens.get(0)));
        }
    }

    @Test
    void every_merge_result_is_in_the_vocabulary() {
        vocabulary.mergesTxt().lines().skip(1).forEach(line -> {
            String[] pair = line.split(" ");
            assertTrue(vocabulary.vocab().containsKey(pair[0] + pair[1]), line);
        });
    }
}
