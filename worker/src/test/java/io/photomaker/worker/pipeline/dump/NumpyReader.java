package io.photomaker.worker.pipeline.dump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Loads every .npy file of a directory with numpy itself ({@code /usr/bin/python3}, Debian's python3-numpy) and
 * reports dtype, shape and the sum of each; empty when numpy is not installed.
 */
final class NumpyReader {

    /** What numpy says about one file. */
    record Loaded(String dtype, long[] shape, double sum) {
    }

    private static final String SCRIPT = String.join("\n",
            "import json, os, sys",
            "import numpy as np",
            "out = {}",
            "for name in sorted(os.listdir(sys.argv[1])):",
            "    if name.endswith('.npy'):",
            "        a = np.load(os.path.join(sys.argv[1], name), allow_pickle=False)",
            "        out[name] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'sum': float(a.astype(np.float64).sum()),",
            "                     'c_order': bool(a.flags['C_CONTIGUOUS'])}",
            "print(json.dumps(out))");

    private NumpyReader() {
    }

    static Optional<Map<String, Loaded>> loadAll(Path dir) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python) || run(python, "import numpy").exitValue() != 0) {
            return Optional.empty();
        }
        Path script = Files.createTempFile("npy-check", ".py");
        try {
            Files.writeString(script, SCRIPT);
            Process p = run(python, null, script.toString(), dir.toString());
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("numpy could not load the dump: " + output);
            }
            JsonNode json = new ObjectMapper().readTree(output);
            Map<String, Loaded> loaded = new LinkedHashMap<>();
            json.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                long[] shape = new long[v.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = v.path("shape").get(i).asLong();
                }
                if (!v.path("c_order").asBoolean()) {
                    throw new IllegalStateException(e.getKey() + " is not in C order");
                }
                loaded.put(e.getKey(), new Loaded(v.path("dtype").asText(), shape, v.path("sum").asDouble()));
            });
            return Optional.of(loaded);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static Process run(Path python, String code, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>();
        command.add(python.toString());
        if (code != null) {
            command.addAll(java.util.List.of("-c", code));
        }
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python did not finish");
        }
        return p;
    }
}
