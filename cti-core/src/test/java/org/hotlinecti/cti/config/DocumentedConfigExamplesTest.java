package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The complete {@code acd:} examples in the README and the routing guide load as configuration: an example that no
 * longer loads is a documentation bug a newcomer would copy.
 */
class DocumentedConfigExamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(acd:\\n.*?)```", Pattern.DOTALL);

    private final ConfigLoader loader = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret")::get);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/routing.md"})
    void everyAcdExampleLoads(String document) throws IOException {
        String text = Files.readString(Path.of(System.getProperty("hotline.project.dir"), document));
        List<String> examples = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(text);
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).as("acd: examples in " + document).isNotEmpty();
        for (String example : examples) {
            Path file = dir.resolve("example.yaml");
            Files.writeString(file, example);
            CtiConfig config = loader.load(file);
            assertThat(config.acdSetup()).as(example).isNotNull();
        }
    }
}
