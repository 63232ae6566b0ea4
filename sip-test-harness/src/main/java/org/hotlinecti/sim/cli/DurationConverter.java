package org.hotlinecti.sim.cli;

import java.time.Duration;
import org.hotlinecti.cti.util.Durations;
import picocli.CommandLine.ITypeConverter;

/** Lets options take {@code 30s}, {@code 2m}, {@code 500ms}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
