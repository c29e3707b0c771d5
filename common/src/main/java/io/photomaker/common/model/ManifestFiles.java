package io.photomaker.common.model;

import io.photomaker.common.errors.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Presence and checksum checks of the files a {@link ModelManifest} names. */
final class ManifestFiles {

    private ManifestFiles() {
    }

    static void verify(ModelManifest manifest, Path dir) {
        requireFile(dir.resolve(manifest.tokenizer().vocab()), "tokenizer.vocab");
        requireFile(dir.resolve(manifest.tokenizer().merges()), "tokenizer.merges");
        for (ModelRole role : ModelRole.values()) {
            if (!manifest.hasModel(role)) {
                continue;
            }
            ModelManifest.ModelFile entry = manifest.model(role);
            Path file = dir.resolve(entry.path());
            requireFile(file, "models." + role.key() + ".path");
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(entry.sha256())) {
                throw new ModelManifestException(ErrorType.MODEL_CHECKSUM_MISMATCH,
                        file + ": sha256 is " + actual + " but manifest models." + role.key()
                                + ".sha256 says " + entry.sha256());
            }
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
