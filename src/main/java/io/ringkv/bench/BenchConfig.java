package io.ringkv.bench;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything one benchmark run needs. Built by {@link BenchCommand} from flags, or directly by tests.
 *
 * @param r         read quorum sent as {@code ?r=} (ringkv only)
 * @param w         write quorum sent as {@code ?w=} (ringkv only)
 * @param rate      target operations per second for open loop; 0 means closed loop
 * @param prefill   write every key once before the measured run so reads find data
 * @param warmupMs  time spent generating the same load before measuring (JIT, connection setup)
 * @param keyPrefix keys are keyPrefix + 0 .. keyPrefix + (keys - 1); a prefix no run wrote reads absent keys
 */
public record BenchConfig(
        Target target,
        List<Endpoint> urls,
        long durationMs,
        int connections,
        int valueBytes,
        int keys,
        double readRatio,
        String r,
        String w,
        double rate,
        boolean prefill,
        long warmupMs,
        long seed,
        String keyPrefix) {

    public static final String DEFAULT_KEY_PREFIX = "bench-";

    /** The systems the generator knows how to talk to. */
    public enum Target { ringkv, etcd }

    /** The contract accepts quorum words wherever a number is allowed, so the bench does too. */
    private static final Pattern QUORUM = Pattern.compile("[1-9][0-9]*|one|quorum|all|local_one|local_quorum|each_quorum");

    public BenchConfig {
        urls = List.copyOf(urls);
        require(!urls.isEmpty(), "at least one URL is required");
        require(durationMs > 0, "duration must be > 0");
        require(connections >= 1, "connections must be >= 1");
        require(valueBytes >= 0, "value-bytes must be >= 0");
        require(keys >= 1, "keys must be >= 1");
        require(readRatio >= 0 && readRatio <= 1, "read-ratio must be within 0..1");
        require(QUORUM.matcher(r).matches(), "r must be a positive number or one|quorum|all|local_one|local_quorum|each_quorum");
        require(QUORUM.matcher(w).matches(), "w must be a positive number or one|quorum|all|local_one|local_quorum|each_quorum");
        require(rate >= 0 && !Double.isNaN(rate), "rate must be > 0 (or absent for closed loop)");
        require(warmupMs >= 0, "warmup must be >= 0");
        require(keyPrefix != null && !keyPrefix.isEmpty() && keyPrefix.length() <= 256
                && keyPrefix.chars().allMatch(c -> c > ' ' && c < 127 && "/?#%".indexOf(c) < 0),
                "key-prefix must be 1..256 printable ASCII characters without / ? # %");
    }

    public boolean openLoop() {
        return rate > 0;
    }

    /** Defaults matching the CLI contract; convenient for tests that change a few fields. */
    public static BenchConfig defaults(List<Endpoint> urls) {
        return new BenchConfig(Target.ringkv, urls, 30_000, 50, 100, 100_000, 0.5, "2", "2", 0,
                true, 2_000, 42, DEFAULT_KEY_PREFIX);
    }

    public BenchConfig withDuration(long ms) {
        return new BenchConfig(target, urls, ms, connections, valueBytes, keys, readRatio, r, w, rate,
                prefill, warmupMs, seed, keyPrefix);
    }

    public BenchConfig withLoad(int conns, double opsPerSecond) {
        return new BenchConfig(target, urls, durationMs, conns, valueBytes, keys, readRatio, r, w,
                opsPerSecond, prefill, warmupMs, seed, keyPrefix);
    }

    public BenchConfig withData(int numKeys, int bytes, double reads, boolean doPrefill, long warmup) {
        return new BenchConfig(target, urls, durationMs, connections, bytes, numKeys, reads, r, w, rate,
                doPrefill, warmup, seed, keyPrefix);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
