package org.hotlinecti.cti.ticket.jdbc;

/**
 * The database could not be opened or refused a statement. The message is one line, meant for an operator; the cause
 * keeps the driver's detail.
 */
public class DatabaseException extends RuntimeException {

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
