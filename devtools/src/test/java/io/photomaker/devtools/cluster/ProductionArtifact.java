package io.photomaker.devtools.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The class path of a production artifact -- {@code <module>/target/photomaker-<module>.jar} plus its
 * {@code lib/} -- when the module's package phase has built it from its current classes (as in
 * {@code mvn verify}); otherwise this JVM's class path.
 */
record ProductionArtifact(String module, String classpath, boolean built) {

    static ProductionArtifact of(String module) {
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        Path jar = target.resolve("photomaker-" + module + ".jar");
        Path lib = target.resolve("lib");
        if (Files.isRegularFile(jar) && Files.isDirectory(lib) && !newerClasses(target.resolve("classes"), jar)) {
            return new ProductionArtifact(module, jar + java.io.File.pathSeparator + lib + "/*", true);
        }
        return new ProductionArtifact(module, ChildProcesses.classpath(), false);
    }

    /** Whether a class file was compiled after the jar was made (the jar is stale). */
    private static boolean newerClasses(Path classes, Path jar) {
        try (Stream<Path> files = Files.walk(classes)) {
            FileTime made = Files.getLastModifiedTime(jar);
            Optional<Path> newer = files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(made) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).findAny();
            return newer.isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return module + (built ? " artifact (jar + lib/)" : " classes on the test class path (artifact not built)");
    }
}
