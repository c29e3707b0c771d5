package io.photomaker.cli;

import io.photomaker.common.text.ClipTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code tokenize --vocab PATH}: one line of CLIP token ids (BOS..EOS, unpadded) per prompt line on stdin. */
public final class TokenizeCommand implements Command {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public java.util.Set<String> options() {
        return java.util.Set.of("vocab");
    }

    @Override
    public String summary() {
        return "print CLIP token ids for each prompt line on stdin: --vocab bpe_simple_vocab_16e6.txt.gz|vocab.json|DIR";
    }

    @Override
    public int run(Args args) throws Exception {
        Path vocab = Path.of(args.get("vocab").orElseThrow(() -> new Args.UsageException("--vocab PATH is required")));
        if (!Files.exists(vocab)) {
            throw new Args.UsageException("no vocabulary at " + vocab);
        }
        ClipTokenizer tokenizer = ClipTokenizer.load(vocab);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(Arrays.stream(tokenizer.encodeWithSpecials(line)).mapToObj(Integer::toString)
                        .collect(Collectors.joining(" ")));
            }
        }
        out.flush();
        return 0;
    }
}
