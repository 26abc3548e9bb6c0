package org.ebm4j.cli;

/**
 * Configures slf4j-simple before the first logger exists: messages go to stderr (stdout stays
 * clean for {@code --json}), INFO by default, WARN with {@code --quiet}, DEBUG with
 * {@code --verbose}. An explicit {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class LogSetup {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private LogSetup() {
    }

    static void configure(String[] args) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        String level = "info";
        for (String a : args) {
            if (a.equals("--quiet") || a.equals("-q")) {
                level = "warn";
            } else if (a.equals("--verbose") || a.equals("-v")) {
                level = "debug";
            }
        }
        setIfAbsent(LEVEL, level);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
