package org.ebm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one clear line on stderr and exit code 1; the stack
 * trace only with {@code EBM_DEBUG=1}. Argument errors that commands detect themselves are thrown as
 * {@link CommandLine.ParameterException} and reach picocli's usage handler (exit 2) instead.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) throws Exception {
        if (ex instanceof CommandLine.ParameterException) {
            throw ex;
        }
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        cl.getErr().println("ebm " + cl.getCommandName() + ": error: " + msg);
        if ("1".equals(System.getenv("EBM_DEBUG"))) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }
}
