package io.ringkv.version;

/** How a replica resolves concurrent versions of one key (config {@code conflicts.mode}). */
public enum ConflictMode {
    /** Keep concurrent versions as siblings and let clients merge them. */
    SIBLINGS,
    /** Keep only the version with the highest timestamp (see {@link SiblingSet#resolveLww()}). */
    LWW;

    /** Parses the config/CLI spelling: exactly {@code "siblings"} or {@code "lww"}. */
    public static ConflictMode parse(String s) {
        if ("siblings".equals(s)) {
            return SIBLINGS;
        }
        if ("lww".equals(s)) {
            return LWW;
        }
        throw new IllegalArgumentException("conflict mode must be \"siblings\" or \"lww\", got "
                + (s == null ? "null" : "\"" + s + "\""));
    }

    /** The spelling {@link #parse} accepts. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
