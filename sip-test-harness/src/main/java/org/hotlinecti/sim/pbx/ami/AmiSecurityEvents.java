package org.hotlinecti.sim.pbx.ami;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The AMI security events Asterisk raises about manager sessions ({@code Privilege: security,all}), with the fields
 * in the order of the traces. SuccessfulAuth, InvalidPassword, RequestNotAllowed and RequestBadFormat are as
 * captured; InvalidAccountID and ChallengeResponseFailed follow the same layout (not captured).
 */
final class AmiSecurityEvents {

    private static final String PRIVILEGE = "security,all";
    private static final DateTimeFormatter TV = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Clock clock;

    AmiSecurityEvents(Clock clock) {
        this.clock = clock;
    }

    AmiMessage successfulAuth(AmiSession s) {
        return common("SuccessfulAuth", "Informational", 1, s.username(), s)
                .add("UsingPassword", "0")
                .add("SessionTV", sessionTv(s))
                .build();
    }

    AmiMessage invalidPassword(AmiSession s, String username) {
        return common("InvalidPassword", "Error", 2, username, s).add("SessionTV", sessionTv(s)).build();
    }

    AmiMessage invalidAccountId(AmiSession s, String username) {
        return common("InvalidAccountID", "Error", 1, username, s).add("SessionTV", sessionTv(s)).build();
    }

    AmiMessage challengeResponseFailed(AmiSession s, String challenge, String response, String expected) {
        return common("ChallengeResponseFailed", "Error", 1, s.username(), s)
                .add("Challenge", challenge)
                .add("Response", response)
                .add("ExpectedResponse", expected)
                .add("SessionTV", sessionTv(s))
                .build();
    }

    AmiMessage requestNotAllowed(AmiSession s, String action) {
        return common("RequestNotAllowed", "Error", 1, s.username(), s)
                .add("RequestType", "Action: " + action)
                .add("SessionTV", sessionTv(s))
                .build();
    }

    /** AccountID comes last in this one: it is an optional field of the event. */
    AmiMessage requestBadFormat(AmiSession s, String action) {
        return AmiMessage.builder()
                .add("Event", "RequestBadFormat")
                .add("Privilege", PRIVILEGE)
                .add("EventTV", tv(clock.instant()))
                .add("Severity", "Error")
                .add("Service", "AMI")
                .add("EventVersion", "1")
                .add("SessionID", s.sessionId())
                .add("LocalAddress", s.localAddress())
                .add("RemoteAddress", s.remoteAddress())
                .add("RequestType", "Action: " + action)
                .add("SessionTV", sessionTv(s))
                .add("AccountID", s.username())
                .build();
    }

    private AmiMessage.Builder common(String event, String severity, int version, String account, AmiSession s) {
        return AmiMessage.builder()
                .add("Event", event)
                .add("Privilege", PRIVILEGE)
                .add("EventTV", tv(clock.instant()))
                .add("Severity", severity)
                .add("Service", "AMI")
                .add("EventVersion", Integer.toString(version))
                .add("AccountID", account)
                .add("SessionID", s.sessionId())
                .add("LocalAddress", s.localAddress())
                .add("RemoteAddress", s.remoteAddress());
    }

    /** Before login Asterisk's session start time is zero, printed as the epoch. */
    private String sessionTv(AmiSession s) {
        Instant start = s.sessionStart();
        return tv(start == null ? Instant.EPOCH : start);
    }

    private String tv(Instant instant) {
        return TV.withZone(clock.getZone()).format(instant);
    }
}
