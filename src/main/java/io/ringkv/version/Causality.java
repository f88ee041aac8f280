package io.ringkv.version;

/** How one version vector relates to another ({@code a.compare(b)} reads "a is ... b"). */
public enum Causality {
    /** Strictly dominated: every entry &lt;= the other's, at least one strictly smaller. */
    BEFORE,
    /** Strictly dominates the other. */
    AFTER,
    /** Identical entries. */
    EQUAL,
    /** Each has an entry larger than the other's. */
    CONCURRENT
}
