package io.photomaker.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands a launcher offers, by name and in listing order. Adding a command whose name is already
 * taken replaces the earlier one in its place (a richer variant of the same command).
 */
public final class CommandSet {
    private final Map<String, Command> byName = new LinkedHashMap<>();

    public CommandSet add(Command command) {
        byName.put(command.name(), command);
        return this;
    }

    public CommandSet addAll(Collection<? extends Command> commands) {
        commands.forEach(this::add);
        return this;
    }

    public Optional<Command> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** In listing order. */
    public List<Command> all() {
        return List.copyOf(byName.values());
    }
}
