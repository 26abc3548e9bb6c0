package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error is an interactive terminal, which Java does not say directly
 * ({@link System#console()} looks at stdin and stdout). On Linux, {@code /proc/self/fd/2} links
 * to the terminal device ({@code /dev/pts/N}, {@code /dev/ttyN}) when it is one; elsewhere the
 * console test is the best guess. {@code TERM=dumb} counts as no terminal.
 */
public final class StderrTerminal {
    private StderrTerminal() {
    }

    public static boolean isTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
