package org.hotlinecti.cti.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Function;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;

/**
 * The JSON of the HTTP and WebSocket API: property names in snake_case, instants as ISO-8601 with the centre's offset
 * ({@code 2026-11-22T23:30:00+08:00}), {@link Disposition} and {@link CallStage} by their wire names, a ticket flat
 * (its call's fields next to {@code number}, {@code form} and {@code created_at}). Absent values are written as
 * {@code null}. Thread-safe.
 */
public final class JsonCodec {

    /** The centre's zone unless told otherwise. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private final ObjectMapper mapper;

    public JsonCodec() {
        this(DEFAULT_ZONE);
    }

    public JsonCodec(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        DateTimeFormatter format = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
        SimpleModule module = new SimpleModule("hotline-cti");
        module.addSerializer(Instant.class, new ToStringSerializer<>(Instant.class, format::format));
        module.addSerializer(Disposition.class, new ToStringSerializer<>(Disposition.class, Disposition::wireName));
        module.addSerializer(CallStage.class, new ToStringSerializer<>(CallStage.class, CallStage::wireName));
        mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addMixIn(org.hotlinecti.cti.ticket.Ticket.class, FlatTicket.class)
                .addModule(module)
                .build();
    }

    /** {@code value} as JSON text. */
    public String encode(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as a JSON tree, to be combined with other fields. */
    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    public ObjectNode newObject() {
        return mapper.createObjectNode();
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException with the parser's one-line reason when the text is not JSON
     */
    public JsonNode parse(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("malformed JSON: no content");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes the ticket's call next to its own fields instead of nesting it. */
    @JsonPropertyOrder({"number", "created_at"})
    private abstract static class FlatTicket {
        @JsonUnwrapped
        abstract CallSummary call();
    }

    private static final class ToStringSerializer<T> extends StdSerializer<T> {
        private final transient Function<T, String> toText;

        ToStringSerializer(Class<T> type, Function<T, String> toText) {
            super(type);
            this.toText = toText;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(toText.apply(value));
        }
    }
}
