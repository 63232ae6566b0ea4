package org.hotlinecti.ivr.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QueueAnnouncementsTest {

    private final PromptCatalogue catalogue = PromptCatalogue.loadDefault();
    private final QueueAnnouncements announcements = new QueueAnnouncements(catalogue);

    /** What the caller hears: the catalogue texts of the files, joined. */
    private String heard(List<String> files) {
        return files.stream().map(f -> catalogue.text(f.substring("hotline/".length())).orElseThrow())
                .collect(Collectors.joining());
    }

    @Test
    void everyFileAnAnnouncementPlaysIsOneOfItsPromptIdsOrANumberSyllable() {
        java.util.Set<String> played = new java.util.HashSet<>();
        for (int n = 0; n <= 1200; n++) {
            announcements.position(n).forEach(played::add);
            announcements.expectedWait(Duration.ofSeconds(n * 7L)).forEach(played::add);
        }
        assertThat(played).allSatisfy(file -> {
            String id = file.substring("hotline/".length());
            assertThat(QueueAnnouncements.PROMPT_IDS.contains(id)
                    || id.startsWith("num/") && ChineseNumbers.SYLLABLES.containsKey(id.substring(4))).as(id).isTrue();
        });
        assertThat(played).contains("hotline/" + QueueAnnouncements.NEXT, "hotline/" + QueueAnnouncements.WAIT,
                "hotline/" + QueueAnnouncements.WAIT_UNDER_A_MINUTE);
    }

    @Test
    void positionAndWaitAreSpokenWithChineseGrammar() {
        assertThat(announcements.position(3)).containsExactly("hotline/queue-ahead", "hotline/num/3",
                "hotline/queue-ahead-unit");
        assertThat(heard(announcements.position(3))).isEqualTo("您前面还有三位");
        assertThat(heard(announcements.position(2))).isEqualTo("您前面还有两位");
        assertThat(heard(announcements.position(12))).isEqualTo("您前面还有十二位");
        assertThat(heard(announcements.position(102))).isEqualTo("您前面还有一百零二位");
        assertThat(heard(announcements.position(0))).isEqualTo("您是下一位，请稍候。");

        assertThat(heard(announcements.expectedWait(Duration.ofSeconds(61)))).isEqualTo("预计等待两分钟");
        assertThat(heard(announcements.expectedWait(Duration.ofMinutes(20)))).isEqualTo("预计等待二十分钟");
        assertThat(heard(announcements.expectedWait(Duration.ofSeconds(30)))).isEqualTo("预计等待不到一分钟。");
    }
}
