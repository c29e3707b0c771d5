package io.photomaker.common.prompt;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where the trigger word sits in a prompt's cleaned CLIP words: it occupies
 * {@code words[triggerIndex, triggerIndex + triggerLength)} and its class word is
 * {@code words[triggerIndex - 1]}.
 */
public record TriggerLocation(List<String> words, int triggerIndex, int triggerLength) {

    /** Copies the word list. */
    public TriggerLocation {
        words = List.copyOf(words);
    }

    /** The class word right before the trigger. */
    public String classWord() {
        return words.get(triggerIndex - 1);
    }

    /** The prompt's words with the trigger word removed. */
    public List<String> wordsWithoutTrigger() {
        List<String> before = words.subList(0, triggerIndex);
        List<String> after = words.subList(triggerIndex + triggerLength, words.size());
        return Stream.concat(before.stream(), after.stream()).toList();
    }
}
