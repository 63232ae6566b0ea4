package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An agent saves the draft of the call it wraps up, whatever order the desktop hears things in. */
class WrapUpFormsTest {

    private final List<String> submitted = new CopyOnWriteArrayList<>();
    private final WrapUpForms forms = new WrapUpForms(submitted::add);

    @Test
    void theDraftOfTheCallInWrapUpIsSavedNotTheLastPopped() {
        forms.screenPop("call-1", "draft-1");
        forms.screenPop("call-2", "draft-2");

        forms.wrapUpStarted("call-1");

        assertThat(submitted).containsExactly("draft-1");
    }

    @Test
    void aWrapUpHeardBeforeItsPopSavesTheDraftOnceThePopArrives() {
        forms.screenPop("call-1", "draft-1");
        forms.wrapUpStarted("call-2");
        assertThat(submitted).isEmpty();

        forms.screenPop("call-2", "draft-2");

        assertThat(submitted).containsExactly("draft-2");
    }

    @Test
    void eachCallsDraftIsSavedOnce() {
        forms.screenPop("call-1", "draft-1");
        forms.wrapUpStarted("call-1");
        forms.wrapUpStarted("call-1");
        forms.screenPop("call-1", "draft-1");

        assertThat(submitted).containsExactly("draft-1");
    }
}
