package org.hotlinecti.ivr.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The catalogue prompt ids a node names (test helper). */
final class PromptIds {

    private PromptIds() {
    }

    static List<String> of(Node node) {
        List<PromptRef> refs = new ArrayList<>();
        if (node instanceof Node.LineMenu l) {
            refs.add(l.prompt());
        } else if (node instanceof Node.Play p) {
            refs.addAll(p.prompts());
        } else if (node instanceof Node.Menu m) {
            refs.add(m.prompt());
            m.invalidPrompt().ifPresent(refs::add);
        } else if (node instanceof Node.ReadDigits r) {
            refs.add(r.prompt());
            r.invalidPrompt().ifPresent(refs::add);
        } else if (node instanceof Node.Transfer t) {
            t.prompt().ifPresent(refs::add);
        } else if (node instanceof Node.Voicemail v) {
            v.prompt().ifPresent(refs::add);
            v.thanks().ifPresent(refs::add);
        } else if (node instanceof Node.Survey s) {
            refs.add(s.prompt());
            s.thanks().ifPresent(refs::add);
            s.invalidPrompt().ifPresent(refs::add);
        } else if (node instanceof Node.Hangup h) {
            refs.addAll(h.prompts());
        }
        return refs.stream().map(r -> r instanceof PromptRef.Catalogue c ? Optional.of(c.id())
                : Optional.<String>empty()).flatMap(Optional::stream).toList();
    }
}
