package io.photomaker.common.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A CLIP BPE vocabulary: token strings to ids, merge ranks, and the start/end-of-text ids. Reads
 * CLIP's own gzip merges file (vocabulary derived from it) or a Hugging Face vocab.json + merges.txt.
 */
record ClipVocabulary(Map<String, Integer> tokenIds, Map<String, Integer> mergeRanks, int bosId, int eosId,
                      int size) {

    /** CLIP keeps the first 49152 - 256 - 2 merges so that the vocabulary has 49408 entries. */
    static final int MAX_MERGES = 49152 - 256 - 2;
    private static final int BUFFER_BYTES = 1 << 16;

    /** Builds the vocabulary from {@code bpe_simple_vocab_16e6.txt.gz}: bytes, bytes + {@code </w>}, merges, specials. */
    static ClipVocabulary fromClipMerges(Path gzipFile) throws IOException {
        Map<String, Integer> ids = new HashMap<>(1 << 17);
        Map<String, Integer> ranks = new HashMap<>(1 << 17);
        List<String> alphabet = ByteLevelAlphabet.vocabularyOrder();
        int position = 0;
        for (String symbol : alphabet) {
            ids.put(symbol, position++);
        }
        for (String symbol : alphabet) {
            ids.put(symbol + BytePairEncoder.END_OF_WORD, position++);
        }
        try (InputStream raw = Files.newInputStream(gzipFile);
             BufferedReader reader = new BufferedReader(new InputStreamReader(
                     new GZIPInputStream(raw, BUFFER_BYTES), StandardCharsets.UTF_8), BUFFER_BYTES)) {
            reader.readLine(); // the header line is not a merge
            int merges = 0;
            for (String line = reader.readLine(); line != null && merges < MAX_MERGES; line = reader.readLine()) {
                addMerge(line, merges++, ranks, gzipFile);
                // Ids are list positions; a repeated token keeps its last position, as in CLIP's dict.
                ids.put(line.replace(" ", ""), position++);
            }
            if (merges == 0) {
                throw new IOException(gzipFile + " holds no BPE merges");
            }
        }
        int bos = position;
        ids.put(ClipPreTokenizer.START_OF_TEXT, bos);
        ids.put(ClipPreTokenizer.END_OF_TEXT, bos + 1);
        return new ClipVocabulary(ids, ranks, bos, bos + 1, bos + 2);
    }

    /** Reads a Hugging Face CLIP tokenizer pair; the special ids come from vocab.json. */
    static ClipVocabulary fromHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> ids = readVocabJson(vocabJson);
        Map<String, Integer> ranks = new HashMap<>(1 << 17);
        try (BufferedReader reader = Files.newBufferedReader(mergesTxt, StandardCharsets.UTF_8)) {
            boolean first = true;
            int merges = 0;
            for (String line = reader.readLine(); line != null && merges < MAX_MERGES; line = reader.readLine()) {
                boolean header = first && line.startsWith("#");
                first = false;
                if (!header && !line.isBlank()) {
                    addMerge(line.strip(), merges++, ranks, mergesTxt);
                }
            }
        }
        int bos = requiredId(ids, ClipPreTokenizer.START_OF_TEXT, vocabJson);
        int eos = requiredId(ids, ClipPreTokenizer.END_OF_TEXT, vocabJson);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        return new ClipVocabulary(ids, ranks, bos, eos, size);
    }

    private static void addMerge(String line, int rank, Map<String, Integer> ranks, Path source)
            throws IOException {
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
            throw new IOException(source + ": merge " + (rank + 1)
                    + " is not two symbols separated by one space: '" + line + "'");
        }
        // A repeated pair keeps its last rank, as a Python dict built from the list would.
        ranks.put(line, rank);
    }

    private static int requiredId(Map<String, Integer> ids, String token, Path source) throws IOException {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IOException(source + " has no entry for the special token " + token);
        }
        return id;
    }

    private static Map<String, Integer> readVocabJson(Path vocabJson) throws IOException {
        Map<String, Integer> ids = new HashMap<>(1 << 17);
        try (JsonParser parser = new JsonFactory().createParser(vocabJson.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(vocabJson + " is not a JSON object of token -> id");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String token = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new IOException(vocabJson + ": the id of token '" + token + "' is not an integer");
                }
                ids.put(token, parser.getIntValue());
            }
        }
        if (ids.isEmpty()) {
            throw new IOException(vocabJson + " holds no tokens");
        }
        return ids;
    }
}
