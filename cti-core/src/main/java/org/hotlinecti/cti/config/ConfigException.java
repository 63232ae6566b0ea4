package org.hotlinecti.cti.config;

/** The configuration cannot be used; the message names the file, the key and the problem in one line. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
