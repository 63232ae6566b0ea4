package org.hotlinecti.cti.asterisk;

import java.io.IOException;

/**
 * The TCP connection to AMI could not be opened. Raised from inside Asterisk-Java's login so that the adapter can
 * tell "cannot reach" from "reached something that closed or said nothing", which Asterisk-Java reports with the same
 * {@link IOException} types.
 */
final class AmiUnreachableException extends IOException {

    AmiUnreachableException(String reason, IOException cause) {
        super(reason, cause);
    }
}
