package org.ebm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.ebm4j.data.Printable;
import org.ebm4j.train.SettingException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one failure path of {@code ebm}: every error reaches the user as one line on stderr,
 * {@code ebm GROUP COMMAND: error: MESSAGE}, never as a stack trace (with {@code --verbose} or
 * {@code EBM_DEBUG=1} the trace follows the line). Usage errors (a bad flag value, picocli's own
 * or a command's {@link FlagChecks}, and a setting the library refuses before any work, a
 * {@link SettingException} named by its flag through {@link SettingFlags}) add a pointer to {@code --help} and exit 2; failures while
 * working exit 1, out-of-memory and other JVM errors included. File-system errors name the file
 * and say what went wrong ({@code no space left on device writing DIR/model.ebm}).
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        PrintWriter err = cl.getErr();
        err.println(name + ": error: " + Printable.oneLine(ex.getMessage()));
        err.println("Try '" + name + " --help' for more information.");
        traceIfAsked(ex, cl, err);
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        if (ex instanceof CommandLine.ParameterException p) {
            return handleParseException(p, new String[0]);
        }
        if (ex instanceof SettingException s) {
            return handleParseException(SettingFlags.usageError(cl, s), new String[0]);
        }
        return report(ex, cl);
    }

    /** Reports {@code failure} of the command {@code cl} as one line and returns exit code 1. */
    static int report(Throwable failure, CommandLine cl) {
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": error: " + Printable.oneLine(describe(failure)));
        traceIfAsked(failure, cl, err);
        err.flush();
        return 1;
    }

    /** What went wrong, in words, naming the file for file-system errors. */
    static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (this JVM may use at most " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB; use smaller sizes or raise it with -Xmx): " + t.getMessage();
        }
        if (t instanceof FileSystemException f) {
            String file = f.getFile();
            String reason = f.getReason();
            String what = t instanceof NoSuchFileException ? "no such file or directory"
                    : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof FileAlreadyExistsException ? "already exists"
                    : t instanceof NotDirectoryException ? "not a directory"
                    : t instanceof DirectoryNotEmptyException ? "directory not empty"
                    : reason == null ? "file system error" : reason;
            String detail = reason != null && !reason.equals(what) ? " (" + reason + ")" : "";
            String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
            return what + ": " + file + other + detail;
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        if (t instanceof IOException && t.getCause() instanceof IOException cause && cause.getMessage() != null
                && !msg.contains(cause.getMessage())) {
            msg += ": " + describe(cause);
        }
        return msg;
    }

    private static void traceIfAsked(Throwable t, CommandLine cl, PrintWriter err) {
        ParseResult parsed = cl.getParseResult();
        boolean verbose = parsed != null && parsed.hasMatchedOption("--verbose");
        if (verbose || "1".equals(System.getenv("EBM_DEBUG"))) {
            t.printStackTrace(err);
        }
    }
}
