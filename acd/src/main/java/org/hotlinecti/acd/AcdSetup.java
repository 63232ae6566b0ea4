package org.hotlinecti.acd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an owner configures in an engine at start, as one value: settings, queues and time-boxed pools.
 *
 * @param pools skill name to the schedule in which holders of the skill qualify through it
 */
public record AcdSetup(AcdSettings settings, List<QueueConfig> queues, Map<String, Schedule> pools) {

    public AcdSetup {
        Objects.requireNonNull(settings, "settings");
        queues = List.copyOf(queues);
        pools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** Default settings, no queues defined ahead (queues are made per skill on first use), no pools. */
    public static AcdSetup defaults() {
        return new AcdSetup(AcdSettings.defaults(), List.of(), Map.of());
    }

    /** This setup with another default wrap-up cap (queues made on first use get it). */
    public AcdSetup withWrapUpMax(java.time.Duration wrapUpMax) {
        return new AcdSetup(settings.withWrapUpMax(wrapUpMax), queues, pools);
    }

    /** Applies this setup to an engine (pools first, so queues see them). */
    public void applyTo(AcdEngine engine) {
        engine.updateSettings(settings);
        pools.forEach(engine::definePool);
        queues.forEach(engine::defineQueue);
    }
}
