package org.hotlinecti.cti.ticket.jdbc;

import java.util.Objects;

/**
 * How to reach the relational database that holds tickets.
 *
 * @param jdbcUrl     JDBC URL, e.g. {@link Database#defaultH2Url} or {@code jdbc:postgresql://db/hotline}
 * @param username    user name, or null when the URL needs none
 * @param password    password, or null; never printed by {@link #toString()}
 * @param maxPoolSize most connections the pool keeps open, at least 1
 */
public record DbSettings(String jdbcUrl, String username, String password, int maxPoolSize) {

    public DbSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("jdbcUrl must not be blank");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
        }
    }

    @Override
    public String toString() {
        return "DbSettings[jdbcUrl=" + Database.redact(jdbcUrl) + ", username=" + username
                + ", password=" + (password == null ? "null" : "****") + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
