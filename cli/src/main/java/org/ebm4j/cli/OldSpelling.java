package org.ebm4j.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * The old spellings of flags and commands that still work for one release as hidden aliases. Each
 * use prints one line on stderr naming the new spelling, so that scripts get a chance to change
 * before the alias goes.
 */
public final class OldSpelling {
    private OldSpelling() {
    }

    /** Prints the deprecation line for {@code old} (a flag or command) replaced by {@code now}. */
    public static void warn(CommandSpec spec, String old, String now) {
        var err = spec.commandLine().getErr();
        err.println("ebm " + commandPath(spec) + ": warning: " + old + " is deprecated and goes in the next release; use "
                + now);
        err.flush();
    }

    /** The command's path below {@code ebm}, e.g. {@code rbm train}. */
    static String commandPath(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.startsWith("ebm ") ? q.substring(4) : q;
    }
}
