package org.ebm4j.train;

import java.util.Objects;

/**
 * A setting of an options record (named by its stable key, e.g. {@code hidden}) that a run cannot
 * take, found before any work. It keeps the key apart from the detail so that a front end can name
 * the setting in its own words (the command line names its flag, {@code --hidden}); the message is
 * {@code KEY: DETAIL}.
 */
public class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the options record's key of the setting, e.g. {@code model_chains}
     * @param detail  what is wrong, without the key: {@code "the 10 chains need about 9 MiB, ..."}
     */
    public SettingException(String setting, String detail) {
        super(Objects.requireNonNull(setting, "setting") + ": " + Objects.requireNonNull(detail, "detail"));
        this.setting = setting;
    }

    /** The key of the setting, as the options record's {@code toMap} writes it. */
    public String setting() {
        return setting;
    }

    /** What is wrong with it, without the key. */
    public String detail() {
        return getMessage().substring(setting.length() + 2);
    }
}
