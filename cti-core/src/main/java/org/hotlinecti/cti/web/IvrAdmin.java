package org.hotlinecti.cti.web;

import org.hotlinecti.ivr.flow.IvrRegistry;

/** What {@code POST /api/ivr/reload} asks of the IVR. */
@FunctionalInterface
public interface IvrAdmin {

    /**
     * Re-reads the IVR's flow, prompt and holiday files and activates them when they have no error; otherwise the
     * flows in force stay. May block (it reads files): called off the event loop.
     *
     * @return whether the files were activated, and every problem found (each with its file and line)
     */
    IvrRegistry.ReloadResult reload();
}
