package io.photomaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.text.ClipTokenizer;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void the_command_line_offers_the_client_and_service_commands_and_no_development_ones() {
        List<String> names = Main.commands().all().stream().map(Command::name).toList();
        assertEquals(List.of("gateway", "worker", "submit", "status", "cancel", "generate", "tokenize", "faces"), names);
    }

    @Test
    void a_command_added_under_a_taken_name_replaces_the_earlier_one_in_its_place() {
        Command richer = new Named("worker", "the richer worker");
        CommandSet set = Main.commands().add(richer);
        assertEquals(Main.commands().all().stream().map(Command::name).toList(),
                set.all().stream().map(Command::name).toList());
        assertEquals("the richer worker", set.get("worker").orElseThrow().summary());
    }

    @Test
    void an_unknown_command_is_a_usage_error() {
        assertEquals(2, Main.run(Main.commands(), new String[]{"dev"}));
        assertEquals(2, Main.run(Main.commands(), new String[]{}));
    }

    @Test
    void a_worker_without_models_is_a_usage_error_and_tiny_models_need_the_development_launcher() {
        assertEquals(2, Main.run(Main.commands(), new String[]{"worker", "--tiny"}));
    }

    @Test
    void the_tokenize_command_prints_clip_ids_from_bos_to_eos() throws Exception {
        Path vocab = Files.createTempDirectory("vocab");
        TinyModelBuilder.create().build(vocab);
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("a photo of a woman\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(Main.commands(),
                    new String[]{"tokenize", "--vocab", vocab.resolve("tokenizer").toString()}));
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        int[] ids = Arrays.stream(captured.toString(StandardCharsets.UTF_8).trim().split(" "))
                .mapToInt(Integer::parseInt).toArray();
        ClipTokenizer tok = ClipTokenizer.load(vocab.resolve("tokenizer"));
        assertEquals(tok.bosId(), ids[0]);
        assertEquals(tok.eosId(), ids[ids.length - 1]);
        assertEquals(Arrays.toString(tok.encodeWithSpecials("a photo of a woman")), Arrays.toString(ids));
        assertTrue(ids.length >= 6, "at least one token per word plus BOS and EOS");
    }

    private record Named(String name, String summary) implements Command {
        @Override
        public int run(Args args) {
            return 0;
        }

        @Override
        public Set<String> flags() {
            return Set.of();
        }

        @Override
        public Set<String> options() {
            return Set.of();
        }
    }
}
