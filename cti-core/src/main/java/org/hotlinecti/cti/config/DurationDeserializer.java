package org.hotlinecti.cti.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import org.hotlinecti.cti.util.Durations;

/** Reads durations as people write them in YAML ({@code 15s}, {@code 500ms}, {@code 2m}); a bare number is seconds. */
public final class DurationDeserializer extends StdScalarDeserializer<Duration> {

    public DurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken().isNumeric()) {
            return Duration.ofMillis(Math.round(p.getDoubleValue() * 1000));
        }
        try {
            return Durations.parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
            throw JsonMappingException.from(p, e.getMessage());
        }
    }
}
