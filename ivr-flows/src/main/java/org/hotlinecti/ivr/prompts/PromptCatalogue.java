package org.hotlinecti.ivr.prompts;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlReader;
import org.hotlinecti.ivr.yaml.YamlValues;

/**
 * Every prompt the IVR may play: an id, its zh-CN text, and the sound file the PBX plays for it
 * ({@code <directory>/<id>}, e.g. {@code hotline/welcome-12345}). Flows refer to prompts by id only, so a flow can be
 * checked against the catalogue before it is activated and the recordings can be rendered from the texts
 * ({@link RenderPrompts}).
 *
 * <p>File format:
 * <pre>{@code
 * directory: hotline          # under the PBX's sounds directory
 * prompts:
 *   welcome-12345: 您好，欢迎致电12345政务服务便民热线……
 *   num/2: 二                 # syllables used by ChineseNumbers
 * }</pre>
 */
public final class PromptCatalogue {

    /** The catalogue shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "ivr/prompts.yaml";

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*");

    private final String directory;
    private final Map<String, String> texts;

    public PromptCatalogue(String directory, Map<String, String> texts) {
        this.directory = directory;
        this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    public static PromptCatalogue loadDefault() {
        Problems problems = new Problems();
        Optional<PromptCatalogue> catalogue = YamlReader.readResource(DEFAULT_RESOURCE, problems)
                .flatMap(root -> parse(root, problems));
        problems.throwIfErrors("prompt catalogue");
        return catalogue.orElseThrow();
    }

    /** Loads an operator's catalogue; throws {@link org.hotlinecti.ivr.yaml.InvalidConfigException} when invalid. */
    public static PromptCatalogue load(Path file) {
        Problems problems = new Problems();
        Optional<PromptCatalogue> catalogue = YamlReader.read(file, problems).flatMap(root -> parse(root, problems));
        problems.throwIfErrors("prompt catalogue");
        return catalogue.orElseThrow();
    }

    /** Parses a catalogue tree, adding problems; empty when it has errors. */
    public static Optional<PromptCatalogue> parse(YamlNode root, Problems problems) {
        Optional<YamlNode.Mapping> top = YamlValues.mapping(root, problems, "the prompt catalogue");
        if (top.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping m = top.get();
        m.checkKeys(problems, "prompt catalogue", Set.of("directory", "prompts"));
        String directory = YamlValues.string(m, "directory", problems, "prompt catalogue", true).orElse("hotline");
        if (!ID.matcher(directory).matches()) {
            problems.error(m.source(), m.lineOf("directory"), "prompt catalogue: directory '" + directory
                    + "' must be a plain path like hotline");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        m.get("prompts").flatMap(p -> YamlValues.mapping(p, problems, "prompts")).ifPresentOrElse(prompts -> {
            for (String id : prompts.keys()) {
                int line = prompts.lineOf(id);
                if (!ID.matcher(id).matches()) {
                    problems.error(m.source(), line, "prompt id '" + id
                            + "' must be lower-case letters, digits, '-', '_' and '/' (it is a file name)");
                }
                YamlNode value = prompts.entries().get(id);
                if (value instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()) {
                    texts.put(id, s.text().strip());
                } else {
                    problems.error(m.source(), line, "prompt '" + id + "' needs its zh-CN text");
                }
            }
        }, () -> problems.error(m, "prompt catalogue: 'prompts' is required"));
        if (problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new PromptCatalogue(directory, texts));
    }

    public boolean contains(String id) {
        return texts.containsKey(id);
    }

    /** The zh-CN text of a prompt. */
    public Optional<String> text(String id) {
        return Optional.ofNullable(texts.get(id));
    }

    /** The sound file the PBX plays for a prompt id (no extension): {@code hotline/welcome-12345}. */
    public String soundFile(String id) {
        return directory + "/" + id;
    }

    /** The sound file of a number syllable token of {@link ChineseNumbers}. */
    public String syllableFile(String token) {
        return soundFile("num/" + token);
    }

    public String directory() {
        return directory;
    }

    /** All prompts, id → text, in file order. */
    public Map<String, String> all() {
        return texts;
    }
}
