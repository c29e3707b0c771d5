package io.photomaker.devtools.bench;

import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.worker.output.ImageEncoder;
import io.photomaker.worker.output.OutputFormat;
import io.photomaker.worker.pipeline.image.VaeImageConverter;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@code bench encode}: what encoding one 1024x1024 output costs, per encoder, against ImageIO's PNG
 * writer (what the worker used before) in the same run: median milliseconds over the rounds (after warm-up
 * rounds), bytes, and the speed-up over ImageIO PNG. The picture is a drawn portrait with a photograph's fine
 * grain, so that it compresses like a generated photo rather than like flat colour.
 */
public final class EncoderBenchmark {
    private static final int SIZE = 1024;
    private static final String PNG = "png (ImageIO, deflate level 2)";

    private EncoderBenchmark() {
    }

    /** Prints one line per encoder, the last {@code png_speedup=}. */
    public static void run(int warmup, int rounds, PrintStream out) {
        BufferedImage image = photoLike();
        Map<String, Supplier<byte[]>> encoders = new LinkedHashMap<>();
        encoders.put("imageio_png", () -> VaeImageConverter.toPng(image));
        encoders.put(PNG, () -> ImageEncoder.encode(image, OutputFormat.PNG, 90));
        encoders.put("jpeg q90 (ImageIO)", () -> ImageEncoder.encode(image, OutputFormat.JPEG, 90));
        encoders.put("webp q90 (libwebp, method 2)", () -> ImageEncoder.encode(image, OutputFormat.WEBP, 90));
        for (int r = 0; r < warmup; r++) {
            encoders.values().forEach(Supplier::get);
        }
        Map<String, long[]> times = new LinkedHashMap<>();
        encoders.keySet().forEach(k -> times.put(k, new long[rounds]));
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            // interleaved, so that machine noise hits every encoder alike
            for (Map.Entry<String, Supplier<byte[]>> e : encoders.entrySet()) {
                long t0 = System.nanoTime();
                byte[] bytes = e.getValue().get();
                times.get(e.getKey())[r] = System.nanoTime() - t0;
                sizes.put(e.getKey(), bytes.length);
            }
        }
        double baseline = median(times.get("imageio_png"));
        out.printf(Locale.ROOT, "picture: %dx%d portrait with grain; %d rounds after %d warm-up, %d cores%n", SIZE, SIZE,
                rounds, warmup, Runtime.getRuntime().availableProcessors());
        for (String name : encoders.keySet()) {
            double ms = median(times.get(name));
            out.printf(Locale.ROOT, "%-38s median_ms=%7.1f bytes=%8d speedup_vs_imageio_png=%.1fx%n", name, ms,
                    sizes.get(name), baseline / ms);
        }
        out.printf(Locale.ROOT, "png_speedup=%.2f%n", baseline / median(times.get(PNG)));
    }

    private static BufferedImage photoLike() {
        BufferedImage image = SamplePortraits.draw(7, SIZE, SIZE);
        Random grain = new Random(7);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = image.getRGB(x, y);
                int n = (int) Math.round(grain.nextGaussian() * 2);
                int r = clamp(((rgb >> 16) & 255) + n);
                int g = clamp(((rgb >> 8) & 255) + n);
                int b = clamp((rgb & 255) + n);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
