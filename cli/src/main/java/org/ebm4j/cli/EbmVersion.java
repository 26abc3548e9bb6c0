package org.ebm4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's implementation version and the running JVM. */
final class EbmVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Ebm.class.getPackage().getImplementationVersion();
        return new String[] {
            "ebm4j " + (v == null ? "(development build)" : v),
            "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version()
        };
    }
}
