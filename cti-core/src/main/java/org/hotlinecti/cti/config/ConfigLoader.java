package org.hotlinecti.cti.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: the shipped {@code config/reference.yaml} first, then overlays on top (a user's file, a
 * scenario's {@code config:} block). Objects merge key by key, anything else (lists, scalars) replaces. Then
 * {@code ${VAR}} / {@code ${VAR:-fallback}} are expanded, the tree is bound strictly (unknown keys are errors) and
 * validated. Every failure is a {@link ConfigException} with a one-line message naming the source and the key.
 */
public final class ConfigLoader {

    private static final String REFERENCE = "config/reference.yaml";
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

    private final ObjectMapper yaml;
    private final UnaryOperator<String> environment;

    /** A loader that expands variables from the process environment. */
    public ConfigLoader() {
        this(System::getenv);
    }

    /** A loader that expands variables with {@code environment} (null result = unset); for tests. */
    public ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
        this.yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));
    }

    /** The reference configuration alone (the built-in defaults). */
    public CtiConfig defaults() {
        return load(List.of());
    }

    /** The reference configuration with {@code file} on top. */
    public CtiConfig load(Path file) {
        return load(List.of(readFile(file)));
    }

    /** The reference configuration with each overlay tree on top, in order. */
    public CtiConfig load(List<Overlay> overlays) {
        JsonNode tree = readReference();
        String source = REFERENCE;
        for (Overlay overlay : overlays) {
            tree = merge(tree, overlay.tree());
            source = overlay.source();
        }
        expand(tree, "");
        CtiConfig config;
        try {
            config = yaml.treeToValue(tree, CtiConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown key '" + YamlPaths.of(e) + "' (known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                    + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": bad value at '" + YamlPaths.of(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage());
        }
        validate(config, source);
        return config;
    }

    /** Parses a YAML file into an overlay; syntax errors name the file and line. */
    public Overlay readFile(Path file) {
        try {
            JsonNode tree = yaml.readTree(Files.readString(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new Overlay(file.toString(), yaml.createObjectNode());
            }
            if (!tree.isObject()) {
                throw new ConfigException(file + ": the top level must be a mapping of keys (centre, asterisk, ...)");
            }
            return new Overlay(file.toString(), tree);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** An overlay from an already parsed tree (e.g. a scenario's {@code config:} block). */
    public Overlay overlay(String source, JsonNode tree) {
        if (tree != null && !tree.isNull() && !tree.isObject()) {
            throw new ConfigException(source + ": config overlay must be a mapping of keys");
        }
        return new Overlay(source, tree == null || tree.isNull() ? yaml.createObjectNode() : tree);
    }

    /** A named tree laid over the configuration. */
    public record Overlay(String source, JsonNode tree) {
    }

    private JsonNode readReference() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(REFERENCE)) {
            if (in == null) {
                throw new IllegalStateException(REFERENCE + " is missing from the classpath");
            }
            return yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + REFERENCE, e);
        }
    }

    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (base instanceof ObjectNode baseObject && overlay instanceof ObjectNode) {
            ObjectNode result = baseObject.deepCopy();
            Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode existing = result.get(f.getKey());
                result.set(f.getKey(), existing == null ? f.getValue().deepCopy() : merge(existing, f.getValue()));
            }
            return result;
        }
        return overlay.deepCopy();
    }

    private void expand(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String childPath = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getValue().isTextual()) {
                    f.setValue(TextNode.valueOf(expandText(f.getValue().asText(), childPath)));
                } else {
                    expand(f.getValue(), childPath);
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(expandText(array.get(i).asText(), path + "[" + i + "]")));
                } else {
                    expand(array.get(i), path + "[" + i + "]");
                }
            }
        }
    }

    private String expandText(String text, String path) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                if (m.group(2) == null) {
                    throw new ConfigException(path + ": environment variable " + m.group(1) + " is not set");
                }
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }


    private static void validate(CtiConfig c, String source) {
        require(c.centre() != null && c.asterisk() != null && c.asterisk().ami() != null && c.agi() != null
                && c.http() != null && c.database() != null && c.acd() != null, source, "a section is empty");
        try {
            ZoneId.of(c.centre().zone());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException(source + ": centre.zone: not a time zone: " + c.centre().zone());
        }
        require(c.asterisk().ami().port() >= 1 && c.asterisk().ami().port() <= 65535, source,
                "asterisk.ami.port must be 1..65535, was " + c.asterisk().ami().port());
        require(notBlank(c.asterisk().inboundContext()), source, "asterisk.inbound_context is empty");
        require(notBlank(c.asterisk().waitContext()), source, "asterisk.wait_context is empty");
        require(notBlank(c.asterisk().connectContext()), source, "asterisk.connect_context is empty");
        require(notBlank(c.asterisk().recordingDir()) && c.asterisk().recordingDir().startsWith("/"), source,
                "asterisk.recording_dir must be an absolute path (as the PBX sees it), was "
                        + c.asterisk().recordingDir());
        port(c.agi().port(), "agi.port", source);
        port(c.http().port(), "http.port", source);
        require(notBlank(c.asterisk().ami().host()), source, "asterisk.ami.host is empty");
        require(notBlank(c.asterisk().ami().username()), source, "asterisk.ami.username is empty");
        require(c.agi().maxSessions() > 0, source, "agi.max_sessions must be positive");
        require(c.agi().allowedPeers() != null && !c.agi().allowedPeers().isEmpty(), source,
                "agi.allowed_peers must name at least one address (e.g. 127.0.0.1)");
        require(c.database().maxPoolSize() > 0, source, "database.max_pool_size must be positive");
        require(c.database().journal() != null, source, "database.journal is empty");
        require(c.database().journal().segmentBytes() >= 4096, source,
                "database.journal.segment_bytes must be at least 4096, was " + c.database().journal().segmentBytes());
        positive(c.database().journal().retryInitial(), "database.journal.retry_initial", source);
        positive(c.database().journal().retryMax(), "database.journal.retry_max", source);
        require(c.database().journal().retryMax().compareTo(c.database().journal().retryInitial()) >= 0, source,
                "database.journal.retry_max must not be below database.journal.retry_initial");
        positive(c.database().journal().ackTimeout(), "database.journal.ack_timeout", source);
        require(c.database().journal().batchSize() >= 1 && c.database().journal().batchSize() <= 10_000, source,
                "database.journal.batch_size must be 1..10000, was " + c.database().journal().batchSize());
        positive(c.asterisk().ami().connectTimeout(), "asterisk.ami.connect_timeout", source);
        positive(c.asterisk().ami().actionTimeout(), "asterisk.ami.action_timeout", source);
        positive(c.asterisk().ami().keepaliveInterval(), "asterisk.ami.keepalive_interval", source);
        positive(c.asterisk().ami().keepaliveTimeout(), "asterisk.ami.keepalive_timeout", source);
        positive(c.asterisk().ami().reconnectMaxDelay(), "asterisk.ami.reconnect_max_delay", source);
        require(c.asterisk().ami().backlogHighWater() > 0, source,
                "asterisk.ami.backlog_high_water must be positive");
        positive(c.acd().ringTimeout(), "acd.ring_timeout", source);
        require(c.acd().ringTimeout().toMillis() % 1000 == 0, source,
                "acd.ring_timeout must be whole seconds (Dial takes seconds), was " + c.acd().ringTimeout());
        positive(c.acd().wrapUpMax(), "acd.wrap_up_max", source);
        positive(c.acd().surveyTimeout(), "acd.survey_timeout", source);
        positive(c.acd().serviceLevel(), "acd.service_level", source);
        require(c.acd().priorityBoost() != null && !c.acd().priorityBoost().isNegative(), source,
                "acd.priority_boost must not be negative");
        CtiConfig.Announce announce = c.acd().announce();
        require(announce != null, source, "acd.announce is empty");
        require(announce.interval() != null && !announce.interval().isNegative(), source,
                "acd.announce.interval must be 0s (off) or positive");
        require(announce.interval().isZero() || announce.interval().compareTo(Duration.ofSeconds(10)) >= 0, source,
                "acd.announce.interval must be 0s (off) or at least 10s (an announcement takes seconds to play), was "
                        + announce.interval());
        require(announce.firstAfter() != null && !announce.firstAfter().isNegative(), source,
                "acd.announce.first_after must not be negative");
        try {
            c.acdSetup();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        require(c.lines() != null && !c.lines().isEmpty(), source, "lines: at least one line is needed");
        try {
            c.lineDirectory();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(source + ": lines: " + e.getMessage());
        }
        try {
            // the IVR's files and the lines' flows and hours, checked together: a broken file stops the start
            c.ivrRegistry(java.time.Clock.systemUTC());
        } catch (org.hotlinecti.ivr.yaml.InvalidConfigException e) {
            throw new ConfigException(source + ": ivr: " + e.problems().stream().filter(
                    org.hotlinecti.ivr.yaml.Problem::isError).map(Object::toString)
                    .collect(Collectors.joining("; ")));
        }
        Set<String> ids = new HashSet<>();
        Set<String> extensions = new HashSet<>();
        for (int i = 0; i < (c.agents() == null ? 0 : c.agents().size()); i++) {
            CtiConfig.Agent a = c.agents().get(i);
            String where = "agents[" + i + "]";
            require(notBlank(a.id()), source, where + ".id is empty");
            require(ids.add(a.id()), source, where + ": agent id " + a.id() + " is used twice");
            require(a.extension() != null && DIGITS.matcher(a.extension()).matches(), source,
                    where + ".extension must be digits (the PBX endpoint is PJSIP/agent<extension>)");
            require(extensions.add(a.extension()), source, where + ": extension " + a.extension() + " is used twice");
        }
        try {
            c.agentProfiles();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(source + ": agents: " + e.getMessage());
        }
    }

    private static void port(int port, String key, String source) {
        require(port >= 0 && port <= 65535, source, key + " must be 0..65535, was " + port);
    }

    private static void positive(Duration d, String key, String source) {
        require(d != null && !d.isNegative() && !d.isZero(), source, key + " must be a positive duration");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String source, String message) {
        if (!ok) {
            throw new ConfigException(source + ": " + message);
        }
    }
}
