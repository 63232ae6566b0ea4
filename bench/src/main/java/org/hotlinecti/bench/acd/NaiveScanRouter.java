package org.hotlinecti.bench.acd;

import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: the same decisions as the engine by linear scans, the way the walking skeleton's engine made them.
 * A freed agent scans every waiting call; an arriving call scans every agent for the longest-idle ready one.
 */
final class NaiveScanRouter {

    /** A waiting call: its skill, the level asked before and after relaxation, and its score key. */
    static final class Call {
        final int skill;
        final int minLevel;
        final int relaxedLevel;
        final long relaxAtMs;
        final long key;
        final long seq;

        Call(int skill, int minLevel, int relaxedLevel, long relaxAtMs, long key, long seq) {
            this.skill = skill;
            this.minLevel = minLevel;
            this.relaxedLevel = relaxedLevel;
            this.relaxAtMs = relaxAtMs;
            this.key = key;
            this.seq = seq;
        }
    }

    private final byte[][] levels;
    private final boolean[] ready;
    private final long[] idleSince;
    private final List<Call> waiting = new ArrayList<>();

    NaiveScanRouter(AcdWorld world) {
        levels = new byte[world.agents][world.skills];
        for (int a = 0; a < world.agents; a++) {
            for (int k = 0; k < AcdWorld.SKILLS_PER_AGENT; k++) {
                levels[a][world.agentSkills[a][k]] = (byte) world.agentLevels[a][k];
            }
        }
        ready = new boolean[world.agents];
        idleSince = new long[world.agents];
    }

    int waitingCount() {
        return waiting.size();
    }

    /** The agent is free: it takes the best waiting call it qualifies for (removed), or waits ready (null). */
    Call agentReady(int agent, long now) {
        int best = -1;
        Call bestCall = null;
        byte[] mine = levels[agent];
        for (int i = 0, n = waiting.size(); i < n; i++) {
            Call c = waiting.get(i);
            int need = now >= c.relaxAtMs ? c.relaxedLevel : c.minLevel;
            if (mine[c.skill] >= need && (bestCall == null || c.key < bestCall.key
                    || (c.key == bestCall.key && c.seq < bestCall.seq))) {
                best = i;
                bestCall = c;
            }
        }
        if (bestCall == null) {
            ready[agent] = true;
            idleSince[agent] = now;
            return null;
        }
        Call last = waiting.remove(waiting.size() - 1);
        if (best < waiting.size()) {
            waiting.set(best, last);
        }
        return bestCall;
    }

    /** A call arrives: the longest-idle ready agent that qualifies takes it (returned), else the call waits (-1). */
    int callArrives(Call c, long now) {
        int best = -1;
        int need = now >= c.relaxAtMs ? c.relaxedLevel : c.minLevel;
        for (int a = 0; a < ready.length; a++) {
            if (ready[a] && levels[a][c.skill] >= need && (best < 0 || idleSince[a] < idleSince[best])) {
                best = a;
            }
        }
        if (best < 0) {
            waiting.add(c);
            return -1;
        }
        ready[best] = false;
        return best;
    }
}
