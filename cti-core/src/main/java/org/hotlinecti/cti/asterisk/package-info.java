/**
 * The CTI's adapters to Asterisk: {@link org.hotlinecti.cti.asterisk.AmiPbxAdapter} (AMI events to
 * {@link org.hotlinecti.cti.call.PbxEvent}s, {@link org.hotlinecti.cti.call.PbxControl} as AMI actions), built on
 * Asterisk-Java, and the non-blocking FastAGI server {@link org.hotlinecti.cti.asterisk.agi.FastAgiServer} (FastAGI
 * sessions to {@link org.hotlinecti.cti.call.IvrSessions}), built on Vert.x's TCP server.
 *
 * <p>Asterisk-Java types never leave this package: every {@code org.asteriskjava} import is here, and the public
 * classes take and return only JDK and {@code org.hotlinecti} types. Asterisk-Java logs through SLF4J when it is on
 * the class path (it is), under the {@code org.asteriskjava} logger names; its log4j-core dependency is excluded.
 *
 * <p>The dialplan contract (shipped in {@code deploy/asterisk/extensions.conf}): inbound calls run
 * {@code AGI(agi://<cti>:<port>/inbound)} then wait in {@code hotline-wait,s,1} (music on hold); the CTI moves a
 * waiting caller to an agent with AMI Setvar + Redirect to {@code hotline-connect,<agent extension>,1}, which dials
 * {@code PJSIP/agent<extension>}; when the agent hangs up first the caller runs {@code AGI(agi://<cti>/survey)}.
 */
package org.hotlinecti.cti.asterisk;
