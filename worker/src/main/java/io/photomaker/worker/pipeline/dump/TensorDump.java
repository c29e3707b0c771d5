package io.photomaker.worker.pipeline.dump;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.photomaker.worker.pipeline.GenerationRecorder;
import io.photomaker.worker.tensors.NpyWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a generation tensor by tensor into one directory, for comparison with the Python reference: every model
 * call's inputs and outputs as {@code NNN-<model>-<in|out>-<name>.npy} (NNN = call number from 000, in call
 * order; the dtype the model saw), {@code noise.npy} (the standard normal draw of all outputs before scaling),
 * {@code latents-initial.npy}, {@code latents-final.npy} (both {@code [outputs, C, h, w]}),
 * {@code image-<k>.npy} (output k as it goes into the PNG: uint8 {@code [height, width, 3]}) and, on
 * {@link #close()}, {@code calls.json}: the generation's facts and every call with its model, phase, the output
 * it serves ({@code output}; a UNet call instead lists the outputs its batch carries in {@code batch}), step,
 * timestep, which prompt the conditional branch used and the UNet batch's {@code rows} (guidance branch and output
 * of each, in row order).
 * Not thread-safe: one generation at a time.
 */
public final class TensorDump implements GenerationRecorder, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final boolean failSoft;
    private IOException failure;
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final List<Map<String, Object>> calls = new ArrayList<>();
    private final List<Map<String, Object>> tensors = new ArrayList<>();
    private String phase = "setup";
    private int phaseOutput = -1;
    private Map<String, Object> step = Map.of();
    private int stepFirstOutput;
    private boolean closed;

    private TensorDump(Path dir, boolean failSoft) {
        this.dir = dir;
        this.failSoft = failSoft;
    }

    /**
     * A dump into {@code dir}, created if missing; a write that fails fails the generation.
     *
     * @throws IOException when it cannot be created or already holds files (dumps are never mixed)
     */
    public static TensorDump create(Path dir) throws IOException {
        return create(dir, false);
    }

    /**
     * As {@link #create(Path)}; with {@code failSoft} a failed write stops the dump instead of the generation
     * ({@link #failure()} tells), for dumps taken of live jobs.
     */
    public static TensorDump create(Path dir, boolean failSoft) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> existing = Files.list(dir)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(dir + " is not empty: a tensor dump needs an empty directory");
            }
        }
        return new TensorDump(dir, failSoft);
    }

    /** The write error that stopped a fail-soft dump, if any. */
    public java.util.Optional<IOException> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void phase(String name, int output) {
        phase = name;
        phaseOutput = output;
        step = Map.of();
    }

    @Override
    public void step(int firstOutput, int outputs, int index, double timestep, boolean idPrompt) {
        Map<String, Object> context = new LinkedHashMap<>();
        List<Integer> served = new ArrayList<>();
        for (int o = firstOutput; o < firstOutput + outputs; o++) {
            served.add(o);
        }
        context.put("batch", served);
        stepFirstOutput = firstOutput;
        context.put("step", index);
        context.put("timestep", timestep);
        context.put("conditional_prompt", idPrompt ? "id" : "text_only");
        step = context;
    }

    @Override
    public void describe(Map<String, Object> values) {
        facts.putAll(values);
    }

    @Override
    public void onRun(String model, String note, Map<String, ? extends OnnxValue> inputs,
            Map<String, ? extends OnnxValue> outputs) {
        String prefix = String.format("%03d-%s", calls.size(), model);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("index", calls.size());
        call.put("model", model);
        call.put("phase", phase);
        if (phaseOutput >= 0 && step.isEmpty()) {
            call.put("output", phaseOutput);
        }
        call.putAll(step);
        if (note != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String row : note.split(",")) {
                String[] parts = row.split(":");
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("branch", parts[0]);
                if (parts.length > 1) {
                    // the UNet numbers the outputs of its batch from 0
                    r.put("output", stepFirstOutput + Integer.parseInt(parts[1]));
                }
                rows.add(r);
            }
            call.put("rows", rows);
        }
        call.put("inputs", writeAll(prefix + "-in-", inputs));
        call.put("outputs", writeAll(prefix + "-out-", outputs));
        calls.add(call);
    }

    @Override
    public void tensor(String name, long[] shape, float[] values) {
        String file = name + ".npy";
        write(() -> NpyWriter.write(dir.resolve(file), values, shape));
        tensors.add(Map.of("name", name, "file", file, "shape", shape, "dtype", "float32"));
    }

    @Override
    public void image(int output, BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] hwc = new byte[rgb.length * 3];
        for (int k = 0; k < rgb.length; k++) {
            hwc[3 * k] = (byte) (rgb[k] >> 16);
            hwc[3 * k + 1] = (byte) (rgb[k] >> 8);
            hwc[3 * k + 2] = (byte) rgb[k];
        }
        String file = "image-" + output + ".npy";
        long[] shape = {height, width, 3};
        write(() -> NpyWriter.write(dir.resolve(file), hwc, shape));
        tensors.add(Map.of("name", "image-" + output, "file", file, "shape", shape, "dtype", "uint8"));
    }

    /** Writes calls.json; the dump is complete afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Map<String, Object> record = new LinkedHashMap<>(facts);
        record.put("tensors", tensors);
        record.put("calls", calls);
        write(() -> JSON.writeValue(dir.resolve("calls.json").toFile(), record));
    }

    private Map<String, String> writeAll(String prefix, Map<String, ? extends OnnxValue> values) {
        Map<String, String> files = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            String file = prefix + safe(name) + ".npy";
            write(() -> writeTensor(dir.resolve(file), (OnnxTensor) value));
            files.put(name, file);
        });
        return files;
    }

    static void writeTensor(Path file, OnnxTensor tensor) throws IOException {
        TensorInfo info = tensor.getInfo();
        String descr = switch (info.type) {
            case FLOAT -> "<f4";
            case FLOAT16 -> "<f2";
            case DOUBLE -> "<f8";
            case INT64 -> "<i8";
            case INT32 -> "<i4";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            default -> throw new IOException(file.getFileName() + ": cannot write a " + info.type + " tensor as .npy");
        };
        int width = Integer.parseInt(descr.substring(2));
        ByteBuffer bytes = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
        NpyWriter.write(file, descr, width, littleEndian(bytes, width), info.getShape());
    }

    private static ByteBuffer littleEndian(ByteBuffer bytes, int width) {
        if (bytes.order() == ByteOrder.LITTLE_ENDIAN || width == 1) {
            return bytes;
        }
        ByteBuffer swapped = ByteBuffer.allocate(bytes.remaining());
        for (int at = bytes.position(); at < bytes.limit(); at += width) {
            for (int b = width - 1; b >= 0; b--) {
                swapped.put(bytes.get(at + b));
            }
        }
        return swapped.flip();
    }

    /** A tensor name made safe for a file name (ONNX names may hold '/', ':' and the like). */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void write(IoAction action) {
        if (failure != null) {
            return;
        }
        try {
            action.run();
        } catch (IOException e) {
            if (!failSoft) {
                throw new UncheckedIOException("tensor dump in " + dir + ": " + e.getMessage(), e);
            }
            failure = e;
        }
    }
}
