package io.photomaker.worker.pipeline.prompt;

/**
 * Token ids for one PhotoMaker generation, all of window length (77), for text encoder 1 and text
 * encoder 2 (they differ only in padding). The arrays are owned by this record: read them, do not
 * modify them.
 *
 * @param idPromptIds1      ID prompt for encoder 1: trigger removed, class token repeated, padded
 * @param idPromptIds2      the same for encoder 2
 * @param classTokenMask    true at the repeated class-token positions of the ID prompt
 * @param classTokenIndex   first class-token position in the ID prompt (the start marker is position 0)
 * @param classTokenCount   copies of the class token: ID images x tokens per image
 * @param textOnlyIds1      the prompt without the trigger word, encoded normally, for encoder 1
 * @param textOnlyIds2      the same for encoder 2
 * @param negativeIds1      the negative prompt, encoded normally, for encoder 1
 * @param negativeIds2      the same for encoder 2
 * @param negativeAbsent    no negative prompt was given at all (diffusers' {@code negative_prompt=None}); with
 *                          force_zeros_for_empty_prompt the pipeline uses zero embeddings instead. An empty or
 *                          blank one is encoded like any other prompt, as the PhotoMaker demos encode it
 * @param idPromptTruncated prompt tokens (or the end marker) after the class word were cut from the ID prompt
 * @param textOnlyTruncated the text-only prompt was cut to the window
 */
public record PromptTokens(int[] idPromptIds1, int[] idPromptIds2, boolean[] classTokenMask, int classTokenIndex,
                           int classTokenCount, int[] textOnlyIds1, int[] textOnlyIds2, int[] negativeIds1,
                           int[] negativeIds2, boolean negativeAbsent, boolean idPromptTruncated,
                           boolean textOnlyTruncated) {

    /** Checks that every sequence has the mask's length and that the mask marks the class tokens. */
    public PromptTokens {
        int window = classTokenMask.length;
        for (int[] ids : new int[][] {idPromptIds1, idPromptIds2, textOnlyIds1, textOnlyIds2, negativeIds1,
                negativeIds2}) {
            if (ids.length != window) {
                throw new IllegalArgumentException("every id sequence must have " + window + " ids, got "
                        + ids.length);
            }
        }
        if (classTokenCount < 1 || classTokenIndex < 1 || classTokenIndex + classTokenCount > window) {
            throw new IllegalArgumentException("class tokens [" + classTokenIndex + ", "
                    + (classTokenIndex + classTokenCount) + ") do not lie inside the window of " + window);
        }
    }

    /** Ids widened to int64, the input type of the text encoders. */
    public static long[] toInt64(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return wide;
    }
}
