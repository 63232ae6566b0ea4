package org.hotlinecti.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one benchmark run, printed as one JSON line in the order they were put. Keys are the ones the
 * issues name (e.g. {@code decisions_per_s}); doubles are rounded to 3 decimals so the line stays readable.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> figures = new LinkedHashMap<>();

    public BenchReport put(String key, long value) {
        figures.put(key, value);
        return this;
    }

    public BenchReport put(String key, double value) {
        figures.put(key, Math.round(value * 1000.0) / 1000.0);
        return this;
    }

    public BenchReport put(String key, String value) {
        figures.put(key, value);
        return this;
    }

    public Map<String, Object> figures() {
        return Map.copyOf(figures);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench figures are plain numbers and strings", e);
        }
    }

    public void print(PrintStream out) {
        out.println(toJson());
        out.flush();
    }
}
