package org.hotlinecti.ivr.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a YAML document into a {@link YamlNode} tree that keeps line numbers (Jackson's streaming parser gives the
 * location of every token; a data-binding read would lose them). Syntax errors and duplicate keys become
 * {@link Problem}s, never exceptions.
 */
public final class YamlReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {
    }

    /** Reads a file; empty (with the problem added) when it cannot be read or parsed. */
    public static Optional<YamlNode> read(Path file, Problems problems) {
        try {
            return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8), problems);
        } catch (IOException e) {
            problems.error(file.toString(), 0, "cannot read file: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads a class-path resource (as shipped in the jar). */
    public static Optional<YamlNode> readResource(String resource, Problems problems) {
        try (InputStream in = YamlReader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                problems.error(resource, 0, "resource not found on the class path");
                return Optional.empty();
            }
            return read(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8), problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads YAML text; {@code source} names it in problems. */
    public static Optional<YamlNode> read(String source, String text, Problems problems) {
        try (Reader reader = new StringReader(text); JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.error(source, 1, "the file is empty");
                return Optional.empty();
            }
            return Optional.of(node(source, parser, problems));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.error(source, at == null ? 0 : at.getLineNr(), "not valid YAML: " + e.getOriginalMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static YamlNode node(String source, JsonParser parser, Problems problems) throws IOException {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    YamlNode value = node(source, parser, problems);
                    if (entries.putIfAbsent(key, value) != null) {
                        problems.error(source, keyLine, "key '" + key + "' is written twice (first on line "
                                + keyLines.get(key) + ")");
                    } else {
                        keyLines.put(key, keyLine);
                    }
                }
                return new YamlNode.Mapping(source, line, entries, keyLines);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(source, parser, problems));
                }
                return new YamlNode.Sequence(source, line, items);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(source, line, null);
            }
            default -> {
                return new YamlNode.Scalar(source, line, parser.getText());
            }
        }
    }
}
