package org.hotlinecti.ivr.prompts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders the prompt catalogue to WAV files for Asterisk (8 kHz, 16-bit, mono) with espeak-ng's Mandarin voice:
 * {@code <out>/<directory>/<id>.wav}, e.g. {@code sounds/zh/hotline/welcome-12345.wav}. Copy the result into the
 * PBX's sounds directory for the channel language (e.g. {@code /var/lib/asterisk/sounds/zh/}).
 *
 * <pre>
 * java -cp ivr-flows.jar:... org.hotlinecti.ivr.prompts.RenderPrompts [--catalogue FILE] [--out DIR]
 *      [--voice cmn] [--only id,id...]
 * </pre>
 * Synthesised speech is a placeholder good enough for tests and demos; a centre records its prompts with a voice
 * talent from the same texts and the same file names.
 */
public final class RenderPrompts {

    /** What to tell an operator when espeak-ng is missing. */
    public static final String INSTALL_HINT = "espeak-ng is not installed (or not on the PATH). Install it with "
            + "'apt-get install espeak-ng' (Debian/Ubuntu), 'dnf install espeak-ng' (Fedora/RHEL) or "
            + "'brew install espeak-ng' (macOS); its Mandarin voice is 'cmn'.";

    private final String espeak;
    private final String voice;

    public RenderPrompts(String espeak, String voice) {
        this.espeak = espeak;
        this.voice = voice;
    }

    /** Whether the espeak-ng program runs here. */
    public static boolean espeakAvailable(String espeak) {
        try {
            Process p = new ProcessBuilder(espeak, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Renders the given prompts (id → text) under {@code out/<directory>/}; returns the files written.
     *
     * @throws IOException when espeak-ng fails or a file cannot be written
     */
    public List<Path> render(PromptCatalogue catalogue, Map<String, String> prompts, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        Path raw = Files.createTempFile("prompt-", ".wav");
        try {
            for (Map.Entry<String, String> prompt : prompts.entrySet()) {
                Path target = out.resolve(catalogue.soundFile(prompt.getKey()) + ".wav");
                speak(prompt.getValue(), raw);
                WavConverter.toAsteriskWav(raw, target);
                written.add(target);
            }
        } finally {
            Files.deleteIfExists(raw);
        }
        return written;
    }

    private void speak(String text, Path wav) throws IOException {
        // the text goes in on stdin, never on the command line, so nothing in it is taken as an option
        Process p = new ProcessBuilder(espeak, "-v", voice, "-w", wav.toString(), "--stdin")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("espeak-ng failed on '" + text + "': " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line; returns the exit code (0 done, 1 failed, 2 usage or missing espeak-ng). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path catalogueFile = null;
        Path dir = Path.of("sounds", "zh");
        String voice = "cmn";
        String espeak = "espeak-ng";
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && !arg.equals("--help")) {
                err.println("missing value for " + arg);
                return 2;
            }
            switch (arg) {
                case "--catalogue" -> catalogueFile = Path.of(args[++i]);
                case "--out" -> dir = Path.of(args[++i]);
                case "--voice" -> voice = args[++i];
                case "--espeak" -> espeak = args[++i];
                case "--only" -> only = List.of(args[++i].split(","));
                default -> {
                    err.println("usage: RenderPrompts [--catalogue FILE] [--out DIR (sounds/zh)] [--voice cmn] "
                            + "[--espeak PATH] [--only id,id...]");
                    return 2;
                }
            }
        }
        if (!espeakAvailable(espeak)) {
            err.println(INSTALL_HINT);
            return 2;
        }
        try {
            PromptCatalogue catalogue = catalogueFile == null ? PromptCatalogue.loadDefault()
                    : PromptCatalogue.load(catalogueFile);
            Map<String, String> prompts = new java.util.LinkedHashMap<>(catalogue.all());
            if (!only.isEmpty()) {
                prompts.keySet().retainAll(only);
                List<String> unknown = only.stream().filter(id -> !catalogue.contains(id)).toList();
                if (!unknown.isEmpty()) {
                    err.println("not in the catalogue: " + String.join(", ", unknown));
                    return 2;
                }
            }
            List<Path> files = new RenderPrompts(espeak, voice).render(catalogue, prompts, dir);
            out.println("rendered " + files.size() + " prompts to " + dir.resolve(catalogue.directory())
                    + " (8 kHz 16-bit mono WAV)");
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("rendering failed: " + e.getMessage());
            return 1;
        }
    }
}
