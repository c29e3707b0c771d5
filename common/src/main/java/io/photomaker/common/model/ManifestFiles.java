package io.photomaker.common.model;

import io.photomaker.common.errors.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Presence and checksum checks of the files a {@link ModelManifest} names. */
final class ManifestFiles {

    private ManifestFiles() {
    }

    static void verify(ModelManifest manifest, Path dir) {
        requireFile(dir.resolve(manifest.tokenizer().vocab()), "tokenizer.vocab");
        requireFile(dir.resolve(manifest.tokenizer().merges()), "tokenizer.merges");
        Map<String, String> files = manifest.files() == null ? Map.of() : manifest.files();
        Set<String> needed = new TreeSet<>(List.of(normal(manifest.tokenizer().vocab()), normal(manifest.tokenizer().merges())));
        Set<String> modelPaths = new TreeSet<>();
        for (ModelRole role : ModelRole.values()) {
            if (!manifest.hasModel(role)) {
                continue;
            }
            ModelManifest.ModelFile entry = manifest.model(role);
            modelPaths.add(normal(entry.path()));
            Path file = dir.resolve(entry.path());
            requireFile(file, "models." + role.key() + ".path");
            check(file, entry.sha256(), "models." + role.key() + ".sha256");
            needed.addAll(besides(dir, entry.path()));
        }
        for (String path : needed) {
            if (!files.containsKey(path)) {
                throw new ModelManifestException(ErrorType.INVALID_MANIFEST, dir.resolve(path)
                        + ": manifest files has no sha256 for it (export again, or add \"files\": {\"" + path
                        + "\": <sha256>})");
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            if (modelPaths.contains(normal(e.getKey()))) {
                continue; // checked against models.<role>.sha256 above
            }
            Path file = dir.resolve(e.getKey());
            requireFile(file, "files." + e.getKey());
            check(file, e.getValue(), "files." + e.getKey());
        }
    }

    /** The other files in a model file's directory (external weights), as paths relative to the model directory. */
    private static List<String> besides(Path dir, String modelPath) {
        Path model = dir.resolve(modelPath).normalize();
        Path parent = model.getParent();
        if (parent == null || parent.equals(dir.normalize())) {
            return List.of();
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            return siblings.filter(Files::isRegularFile).filter(p -> !p.equals(model))
                    .map(p -> normal(dir.normalize().relativize(p).toString())).toList();
        } catch (IOException e) {
            throw new ModelManifestException(ErrorType.MODEL_FILE_MISSING,
                    parent + ": cannot be listed: " + e.getMessage(), e);
        }
    }

    private static String normal(String path) {
        return Path.of(path).normalize().toString().replace('\\', '/');
    }

    private static void check(Path file, String expected, String field) {
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ModelManifestException(ErrorType.MODEL_CHECKSUM_MISMATCH,
                    file + ": sha256 is " + actual + " but manifest " + field + " says " + expected);
        }
    }

    /** Lowercase hex sha256 of a file's bytes. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelManifestException(ErrorType.MODEL_FILE_MISSING,
                    file + ": cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void requireFile(Path file, String field) {
        if (!Files.isRegularFile(file)) {
            throw new ModelManifestException(ErrorType.MODEL_FILE_MISSING,
                    file + ": file named by manifest " + field + " does not exist");
        }
    }
}
