/**
 * The CTI's adapters to Asterisk: {@link org.hotlinecti.cti.asterisk.AmiPbxAdapter} (AMI events to
 * {@link org.hotlinecti.cti.call.PbxEvent}s, {@link org.hotlinecti.cti.call.PbxControl} as AMI actions) over the CTI's
 * own AMI client ({@link org.hotlinecti.cti.asterisk.ami.AmiClient}, Vert.x based), and the non-blocking FastAGI
 * server {@link org.hotlinecti.cti.asterisk.agi.FastAgiServer} (FastAGI sessions to
 * {@link org.hotlinecti.cti.call.IvrSessions}), built on Vert.x's TCP server.
 *
 * <p>Neither side uses Asterisk-Java: both speak the protocols with their own parsers, because the stock clients
 * cost a thread per FastAGI session and read AMI too slowly (see {@code ./hotline bench ami|agi}, where Asterisk-Java
 * is the baseline).
 *
 * <p>The dialplan contract (shipped in {@code deploy/asterisk/extensions.conf}): inbound calls run
 * {@code AGI(agi://<cti>:<port>/inbound)} then wait in {@code hotline-wait,s,1} (music on hold); the CTI moves a
 * waiting caller to an agent with an AMI Redirect to {@code hotline-connect,<agent extension>,1}, which dials
 * {@code PJSIP/agent<extension>}; when the agent hangs up first the caller runs {@code AGI(agi://<cti>/survey)}.
 */
package org.hotlinecti.cti.asterisk;
