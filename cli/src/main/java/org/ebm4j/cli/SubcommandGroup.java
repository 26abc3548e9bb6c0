package org.ebm4j.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code ebm rbm}, {@code ebm dbn}): run alone, it is a
 * usage error naming the subcommands to choose from.
 */
public abstract class SubcommandGroup implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        List<String> names = new ArrayList<>(spec.subcommands().keySet());
        names.remove("help");
        String choices = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: " + choices);
    }
}
