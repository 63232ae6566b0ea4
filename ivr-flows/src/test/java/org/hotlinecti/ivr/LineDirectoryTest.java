package org.hotlinecti.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineDirectoryTest {

    private static DepartmentLine line(String number, String skill) {
        return new DepartmentLine(number, number, "dept", skill, 1, 0, null, Map.of());
    }

    @Test
    void unknownNumbersAreServedByTheMainLine() {
        LineDirectory lines = new LineDirectory(List.of(line("12345", "general"), line("12315", "market")), "12345");

        assertThat(lines.serving("12315").skill()).isEqualTo("market");
        assertThat(lines.serving("99999").number()).isEqualTo("12345");
        assertThat(lines.find("99999")).isEmpty();
    }

    @Test
    void rejectsDuplicatesAMissingMainLineAndBadNumbersOrKeys() {
        assertThatThrownBy(() -> new LineDirectory(List.of(line("12345", "a"), line("12345", "b")), "12345"))
                .hasMessage("line 12345 is configured twice");
        assertThatThrownBy(() -> new LineDirectory(List.of(line("12315", "a")), "12345"))
                .hasMessageContaining("main line 12345");
        assertThatThrownBy(() -> line("12a45", "x")).hasMessageContaining("3 to 20 digits");
        assertThatThrownBy(() -> new DepartmentLine("12345", "n", "d", "s", 1, 0, null,
                Map.of("12", new MenuChoice("x", "y", 0)))).hasMessageContaining("menu key");
    }
}
