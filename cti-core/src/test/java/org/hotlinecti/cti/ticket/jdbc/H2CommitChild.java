package org.hotlinecti.cti.ticket.jdbc;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The victim of {@link H2KillNineTest}: commits {@code rows} single-row transactions to the H2 URL given, printing
 * {@code ACK i} after each commit returned, then {@code DONE}, and waits to be killed. Arguments: JDBC URL, rows.
 */
public final class H2CommitChild {

    private H2CommitChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        int rows = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS acked (id INT PRIMARY KEY, body VARCHAR(200))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "ticket body " + i);
                    ps.executeUpdate();
                    out.println("ACK " + i);
                }
            }
            out.println("DONE");
            Thread.currentThread().join();
        }
    }
}
