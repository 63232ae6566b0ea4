package org.hotlinecti.sim.world;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which ticket draft a simulated agent saves in wrap-up: the one of the call it is wrapping up. The desktop hears the
 * call's screen-pop ({@code linked_id}, {@code draft_id}) and the agent's wrap-up ({@code agent.call_linked_id}) in
 * either order, so the draft is submitted once both are known, at most once per call. Thread-safe.
 */
final class WrapUpForms {

    private final Consumer<String> submitDraft;
    /** linked id → draft id, from the screen-pops. */
    private final Map<String, String> drafts = new HashMap<>();
    /** Calls in wrap-up whose screen-pop has not arrived yet. */
    private final Set<String> awaitingPop = new HashSet<>();
    private final Set<String> submitted = new HashSet<>();

    /** @param submitDraft called with the draft id to save, once per call; must not block */
    WrapUpForms(Consumer<String> submitDraft) {
        this.submitDraft = submitDraft;
    }

    /** A screen-pop for call {@code linkedId} offering draft {@code draftId}. */
    void screenPop(String linkedId, String draftId) {
        if (linkedId == null || draftId == null) {
            return;
        }
        boolean submit;
        synchronized (this) {
            drafts.put(linkedId, draftId);
            submit = awaitingPop.remove(linkedId) && submitted.add(linkedId);
        }
        if (submit) {
            submitDraft.accept(draftId);
        }
    }

    /** The agent entered wrap-up for call {@code linkedId}. */
    void wrapUpStarted(String linkedId) {
        if (linkedId == null) {
            return;
        }
        String draft;
        synchronized (this) {
            draft = drafts.get(linkedId);
            if (draft == null) {
                awaitingPop.add(linkedId);
                return;
            }
            if (!submitted.add(linkedId)) {
                return;
            }
        }
        submitDraft.accept(draft);
    }
}
