package org.hotlinecti.cti.ticket.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What H2 keeps of acknowledged commits when its process is killed with SIGKILL right after them. The defaults lose
 * most of them (commits wait up to WRITE_DELAY = 500 ms in memory; the figure is logged, not asserted, as it depends
 * on timing); {@link Database#defaultH2Url}'s {@code WRITE_DELAY=0} loses none.
 */
class H2KillNineTest {

    private static final Logger LOG = LoggerFactory.getLogger(H2KillNineTest.class);
    private static final int ROWS = 2000;

    @TempDir
    Path dir;

    @Test
    void theDefaultUrlKeepsEveryAcknowledgedCommitThroughKillNine() throws Exception {
        String h2Defaults = "jdbc:h2:file:" + dir.resolve("defaults")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        int keptByDefaults = commitThenKill(h2Defaults);
        int keptByOurs = commitThenKill(Database.defaultH2Url(dir.resolve("ours")));

        LOG.info("kill -9 right after {} acknowledged commits: H2 defaults kept {}, WRITE_DELAY=0 kept {}", ROWS,
                keptByDefaults, keptByOurs);
        System.out.printf("h2 kill -9 after %d acked commits: defaults kept %d, WRITE_DELAY=0 kept %d%n", ROWS,
                keptByDefaults, keptByOurs);
        assertThat(keptByOurs).isEqualTo(ROWS);
    }

    private int commitThenKill(String url) throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                H2CommitChild.class.getName(), url, "" + ROWS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int acked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("ACK ")) {
                    acked++;
                } else if (line.equals("DONE")) {
                    break;
                }
            }
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(acked).isEqualTo(ROWS);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            // With H2's defaults even the CREATE TABLE can be lost: no table means nothing was kept.
            try (ResultSet tables = c.getMetaData().getTables(null, null, "acked", null)) {
                if (!tables.next()) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM acked")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
