package org.hotlinecti.cti.asterisk;

/**
 * The CTI could not open its AMI session. The message names the problem in one line, e.g.
 * {@code AMI login to 127.0.0.1:5038 as 'cti' failed: Authentication failed} or
 * {@code cannot reach AMI at 127.0.0.1:5038: Connection refused}.
 */
public class AmiConnectException extends RuntimeException {

    public AmiConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
