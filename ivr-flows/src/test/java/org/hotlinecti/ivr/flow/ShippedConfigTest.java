package org.hotlinecti.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineMode;
import org.hotlinecti.ivr.prompts.ChineseNumbers;
import org.hotlinecti.ivr.prompts.QueueAnnouncements;
import org.junit.jupiter.api.Test;

/** The shipped flows, lines, prompts and holidays load together, without errors or warnings. */
class ShippedConfigTest {

    private final IvrConfig.Loaded loaded = IvrConfig.load(IvrSources.defaults(), Clock.system(ZoneId.of("Asia/Shanghai")));

    @Test
    void theShippedConfigurationLoadsCleanly() {
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isPresent();
    }

    @Test
    void theLineTableHasTwentyOrMoreLinesInEveryMode() {
        IvrConfig config = loaded.orElseThrow();
        assertThat(config.lines().lines()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(config.lines().lines()).extracting(DepartmentLine::number).contains("12345", "12315", "12333",
                "12369", "12319", "12329", "12366", "96128", "12358", "12365", "12338", "12355", "12348", "12320",
                "12328", "12331", "12310");
        assertThat(config.lines().lines()).extracting(DepartmentLine::mode).contains(LineMode.MAIN, LineMode.MERGED,
                LineMode.PARALLEL, LineMode.SUB_CENTRE);
        assertThat(config.lineDirectory().mainLine().number()).isEqualTo("12345");
    }

    @Test
    void everyPromptAFlowOrLineUsesIsInTheCatalogue() {
        IvrConfig config = loaded.orElseThrow();
        Set<String> used = new HashSet<>();
        for (Flow flow : config.flows().flows().values()) {
            for (Node node : flow.nodes().values()) {
                PromptIds.of(node).forEach(used::add);
            }
        }
        assertThat(used).isNotEmpty().allMatch(config.prompts()::contains, "in the catalogue");
        String dir = config.prompts().directory() + "/";
        for (DepartmentLine line : config.lines().lines()) {
            assertThat(config.prompts().contains(line.welcomePrompt().substring(dir.length()))).as(line.number())
                    .isTrue();
            line.mergedNotice().ifPresent(n -> assertThat(config.prompts().contains(n.substring(dir.length())))
                    .isTrue());
        }
        config.lines().hours().values().forEach(h -> assertThat(config.prompts().contains(h.prompt())).isTrue());
        ChineseNumbers.SYLLABLES.keySet().forEach(token -> assertThat(config.prompts().contains("num/" + token))
                .as(token).isTrue());
        assertThat(config.prompts().all()).containsKeys("survey", "survey-thanks");
        // the queue announcements the CTI plays to waiting callers (acd.announce)
        assertThat(QueueAnnouncements.PROMPT_IDS).isNotEmpty().allMatch(config.prompts()::contains,
                "in the catalogue");
    }
}
