package org.hotlinecti.cti.ticket.journal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source that can be switched off, like a database host that went away: every new connection is refused. */
final class FlakyDataSource implements DataSource {

    private final DataSource delegate;
    private final AtomicBoolean down = new AtomicBoolean();
    final AtomicLong refused = new AtomicLong();

    FlakyDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void down() {
        down.set(true);
    }

    void up() {
        down.set(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down.get()) {
            refused.incrementAndGet();
            throw new SQLTransientConnectionException("Connection refused (database down for the test)", "08001");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
