package org.hotlinecti.sim.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.SipStack;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every SIP message the RI sends or receives to the SLF4J logger {@code org.hotlinecti.sim.sip.wire}: one
 * summary line at DEBUG, the whole message at TRACE. Phone numbers (runs of 8 or more digits) are masked in both.
 *
 * <p>Not for application use: public only because the RI instantiates it reflectively through the stack property
 * {@code gov.nist.javax.sip.SERVER_LOGGER}. Replaces the RI's {@code ServerLog}, which writes files.
 */
public final class Slf4jServerLogger implements ServerLogger {

    static final String LOGGER_NAME = "org.hotlinecti.sim.sip.wire";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d{8,}");

    private String stackName = "?";

    /** Required by the RI, which creates one per stack. */
    public Slf4jServerLogger() {
    }

    static boolean isEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public void closeLogFile() {
        // No file.
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    private void log(SIPMessage message, String from, String to, boolean sender) {
        if (!LOG.isDebugEnabled() || message.getFirstLine() == null) {
            return;
        }
        String direction = sender ? "sent " + from + " -> " + to : "received " + to + " <- " + from;
        String callId = message.getCallId() == null ? "-" : message.getCallId().getCallId();
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] {}:\n{}", stackName, direction, maskNumbers(message.encode()));
        } else {
            LOG.debug("[{}] {} {} (Call-ID {}, CSeq {}, from {})", stackName, direction,
                    maskNumbers(message.getFirstLine().trim()), callId,
                    message.getCSeq() == null ? "-" : message.getCSeq().getSeqNumber() + " " + message.getCSeq().getMethod(),
                    message.getFrom() == null ? "-" : userOf(message.getFrom().getAddress().getURI()));
        }
    }

    private static String userOf(URI uri) {
        return uri instanceof SipURI sip ? PhoneNumbers.mask(sip.getUser()) : "-";
    }

    static String maskNumbers(String text) {
        Matcher m = LONG_DIGIT_RUN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(PhoneNumbers.mask(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public void logException(Exception ex) {
        LOG.debug("[{}] exception while logging a message", stackName, ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        stackName = stackProperties.getProperty("javax.sip.STACK_NAME", "?");
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // The stack name comes with the properties.
    }
}
