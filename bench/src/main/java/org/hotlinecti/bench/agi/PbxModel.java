package org.hotlinecti.bench.agi;

/**
 * How long the simulated Asterisk spends executing an AGI command before it sends the reply line: the time a caller
 * is in the IVR while the FastAGI server has nothing to do but wait. STREAM FILE takes the prompt's length (Asterisk
 * answers {@code 200 result=0 endpos=N} only after the last sample is played); ANSWER, GET/SET VARIABLE and VERBOSE
 * only touch the channel and are modelled as instant (a real Asterisk 22 answers them in about 0.3 ms, see
 * {@code testdata/asterisk-traces/01-answered-call/agi-1.log}).
 *
 * @param streamFileMillis the played prompt's length in milliseconds; 0 gives the old "everything instant" model
 */
record PbxModel(long streamFileMillis) {

    /** Every command answered at once: a session is only TCP connect, header, round trips and close. */
    static final PbxModel INSTANT = new PbxModel(0);

    PbxModel {
        if (streamFileMillis < 0) {
            throw new IllegalArgumentException("STREAM FILE time must be >= 0 ms, got " + streamFileMillis);
        }
    }

    /** The simulated execution time of one command line as the server sent it. */
    long executionMillis(String command) {
        return command.startsWith("STREAM FILE") ? streamFileMillis : 0;
    }

    /** Simulated PBX time of one bench session (both servers' scripts play exactly one prompt). */
    long sessionMillis() {
        return streamFileMillis;
    }

    boolean instant() {
        return streamFileMillis == 0;
    }
}
