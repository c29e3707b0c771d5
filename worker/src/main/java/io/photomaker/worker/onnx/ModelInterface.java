package io.photomaker.worker.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a model wrapper expects of its ONNX file: named inputs and outputs with allowed element types and
 * allowed shapes (-1 = any size). {@link #check} compares that with what the session reports; every input
 * of the model must be expected (the wrapper has to feed it), extra outputs are fine.
 */
public final class ModelInterface {

    /** One expected port: allowed element types and alternative shapes. */
    record Expected(String name, Set<ElementType> types, List<long[]> shapes) {

        boolean matches(Port port) {
            return types.contains(port.type()) && shapes.stream().anyMatch(s -> fits(s, port.shape()));
        }

        private static boolean fits(long[] expected, long[] declared) {
            if (expected.length != declared.length) {
                return false;
            }
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] >= 0 && declared[i] >= 0 && expected[i] != declared[i]) {
                    return false;
                }
            }
            return true;
        }

        String describe() {
            String shapeText = shapes.stream().map(s -> Arrays.toString(s).replace("-1", "?"))
                    .collect(Collectors.joining(" or "));
            return name + " " + types + " " + shapeText;
        }
    }

    private final String modelName;
    private final List<Expected> inputs = new ArrayList<>();
    private final List<Expected> outputs = new ArrayList<>();
    private final List<Expected> inputsByPosition = new ArrayList<>();
    private final List<Expected> outputsByPosition = new ArrayList<>();

    private ModelInterface(String modelName) {
        this.modelName = modelName;
    }

    /** An empty interface for the model called {@code modelName} in messages. */
    public static ModelInterface of(String modelName) {
        return new ModelInterface(modelName);
    }

    /** Expects an input with one of {@code types} and the given shape (-1 = any size). */
    public ModelInterface input(String name, Set<ElementType> types, long... shape) {
        inputs.add(new Expected(name, types, List.of(shape.clone())));
        return this;
    }

    /** Expects an input that may take one of several shapes (e.g. a scalar or a [B] timestep). */
    public ModelInterface inputWithShapes(String name, Set<ElementType> types, List<long[]> shapes) {
        inputs.add(new Expected(name, types, List.copyOf(shapes)));
        return this;
    }

    /** Expects an output with one of {@code types} and the given shape (-1 = any size). */
    public ModelInterface output(String name, Set<ElementType> types, long... shape) {
        outputs.add(new Expected(name, types, List.of(shape.clone())));
        return this;
    }

    /** Expects an output that may take one of several shapes. */
    public ModelInterface outputWithShapes(String name, Set<ElementType> types, List<long[]> shapes) {
        outputs.add(new Expected(name, types, List.copyOf(shapes)));
        return this;
    }

    /**
     * Expects the next input, by position and whatever its name (InsightFace's exports number their ports); a
     * model described this way must have exactly the inputs declared by position.
     */
    public ModelInterface inputByPosition(Set<ElementType> types, long... shape) {
        inputsByPosition.add(new Expected("input " + inputsByPosition.size(), types, List.of(shape.clone())));
        return this;
    }

    /** Expects the next output by position, whatever its name; the model must have exactly these outputs. */
    public ModelInterface outputByPosition(Set<ElementType> types, List<long[]> shapes) {
        outputsByPosition.add(new Expected("output " + outputsByPosition.size(), types, List.copyOf(shapes)));
        return this;
    }

    public String modelName() {
        return modelName;
    }

    /** The model's ports, keyed by name, in the order ONNX Runtime reports them. */
    static Map<String, Port> ports(Map<String, NodeInfo> infos) {
        var ports = new LinkedHashMap<String, Port>();
        infos.forEach((name, info) -> {
            if (info.getInfo() instanceof TensorInfo tensor) {
                ports.put(name, new Port(name, ElementType.of(tensor.type), tensor.getShape()));
            } else {
                ports.put(name, new Port(name, ElementType.OTHER, new long[0]));
            }
        });
        return ports;
    }

    /**
     * Checks the probed ports against the expectations.
     *
     * @throws ModelException type model_interface_mismatch naming the model file and every mismatch
     */
    void check(Path path, Map<String, Port> actualInputs, Map<String, Port> actualOutputs) {
        List<String> problems = new ArrayList<>();
        compare("input", inputs, actualInputs, problems);
        compare("output", outputs, actualOutputs, problems);
        compareByPosition("input", inputsByPosition, actualInputs, problems);
        compareByPosition("output", outputsByPosition, actualOutputs, problems);
        Set<String> expectedInputNames = inputs.stream().map(Expected::name).collect(Collectors.toSet());
        if (inputsByPosition.isEmpty()) {
            actualInputs.keySet().stream().filter(n -> !expectedInputNames.contains(n))
                    .forEach(n -> problems.add("unexpected input " + actualInputs.get(n)));
        }
        if (!problems.isEmpty()) {
            throw new ModelException(ErrorType.MODEL_INTERFACE_MISMATCH, modelName + " model " + path
                    + " does not have the expected interface: " + String.join("; ", problems));
        }
    }

    private static void compareByPosition(String kind, List<Expected> expected, Map<String, Port> actual,
                                          List<String> problems) {
        if (expected.isEmpty()) {
            return;
        }
        List<Port> ports = new ArrayList<>(actual.values());
        if (ports.size() != expected.size()) {
            problems.add("expected " + expected.size() + " " + kind + "s, model has " + ports.size() + " " + ports);
            return;
        }
        for (int i = 0; i < ports.size(); i++) {
            if (!expected.get(i).matches(ports.get(i))) {
                problems.add(kind + " " + i + " is " + ports.get(i) + " but expected " + expected.get(i).describe());
            }
        }
    }

    private static void compare(String kind, List<Expected> expected, Map<String, Port> actual, List<String> problems) {
        for (Expected e : expected) {
            Port port = actual.get(e.name());
            if (port == null) {
                problems.add("missing " + kind + " " + e.name() + " (model has " + actual.keySet() + ")");
            } else if (!e.matches(port)) {
                problems.add(kind + " " + port + " but expected " + e.describe());
            }
        }
    }
}
