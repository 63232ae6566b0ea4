package org.hotlinecti.sim.demo;

import org.hotlinecti.sim.world.ReadyToRing;

/**
 * What a demo run produced; printed as the one-line JSON summary.
 *
 * @param calls     calls placed
 * @param answered  tickets with disposition answered
 * @param abandoned tickets with disposition abandoned
 * @param voicemail tickets with disposition voicemail
 * @param transferred tickets with disposition transferred (to a sub-centre or an emergency number)
 * @param other     tickets the IVR ended itself (a notice) or that failed
 * @param tickets   tickets written during the run
 * @param ended     calls that ended (all of them, once the demo finished)
 * @param readyToRing "agent ready → phone ringing" latency over the run
 */
public record DemoSummary(int calls, int answered, int abandoned, int voicemail, int transferred, int other,
        int tickets, int ended, ReadyToRing.Figures readyToRing) {

    public String json() {
        return "{\"calls\":" + calls + ",\"answered\":" + answered + ",\"abandoned\":" + abandoned + ",\"voicemail\":"
                + voicemail + ",\"transferred\":" + transferred + ",\"other\":" + other + ",\"tickets\":" + tickets
                + "," + readyToRing.jsonMembers() + "}";
    }
}
