package io.ringkv.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv bench}: drives ringkv (or etcd, for side-by-side numbers) with a key-value
 * workload and prints throughput and latency percentiles. Without --rate it runs closed loop;
 * with --rate it runs open loop and corrects for coordinated omission.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load-test ringkv (or etcd) over HTTP and report throughput and latency percentiles.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL[,URL...]",
            description = "Base URLs, comma-separated; connections are spread round robin over them.")
    String url;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time, e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--connections", defaultValue = "50", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--keys", defaultValue = "100000", description = "Key space: bench-0 .. bench-(keys-1) (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--key-prefix", defaultValue = BenchConfig.DEFAULT_KEY_PREFIX,
            description = "Key names: PREFIX0 .. PREFIX(keys-1); a prefix nothing wrote reads absent keys (default: ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--read-ratio", defaultValue = "0.5", description = "Fraction of reads, 0..1 (default: ${DEFAULT-VALUE}).")
    double readRatio;

    @Option(names = "--r", defaultValue = "2", description = "Read quorum sent as ?r= (number, one|quorum|all, or local_one|local_quorum|each_quorum with replicas per DC; default: ${DEFAULT-VALUE}).")
    String r;

    @Option(names = "--w", defaultValue = "2", description = "Write quorum sent as ?w= (number, one|quorum|all, or local_one|local_quorum|each_quorum with replicas per DC; default: ${DEFAULT-VALUE}).")
    String w;

    @Option(names = "--rate", paramLabel = "OPS_PER_S",
            description = "Open loop at this fixed arrival rate (latency measured from the intended start). Absent: closed loop.")
    Double rate;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--target", defaultValue = "ringkv",
            description = "ringkv or etcd (v3 JSON gateway) (default: ${DEFAULT-VALUE}).")
    BenchConfig.Target target;

    @Option(names = "--prefill", arity = "1", paramLabel = "true|false",
            description = "Write every key once before measuring (default: true when read-ratio > 0).")
    Boolean prefill;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
            description = "Unmeasured load before the run (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--seed", description = "Random seed for keys, values and the read/write mix (default: random).")
    Long seed;

    @Option(names = "--token", description = "Bearer token sent with every request (a node with --auth-tokens).")
    String token;

    @Option(names = "--insecure", description = "With https:// URLs: do not check the server's certificate (self-signed).")
    boolean insecure;

    @Override
    public Integer call() {
        BenchConfig cfg = config();
        PrintWriter err = spec.commandLine().getErr();
        BenchResult result;
        try {
            result = new LoadGenerator(cfg, msg -> {
                err.println("bench: " + msg);
                err.flush();
            }).secured(token, insecure).run();
        } catch (RuntimeException e) {
            err.println("bench: failed: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? result.toJson().encode() + System.lineSeparator() : result.toText());
        out.flush();
        // A run where nothing succeeded measured nothing useful: make scripts notice.
        return result.ops() > result.errorCount() ? 0 : 1;
    }

    /** Validates flags and builds the engine's config; bad values become picocli usage errors. */
    BenchConfig config() {
        if (rate != null && !(rate > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be > 0");
        }
        try {
            boolean doPrefill = prefill != null ? prefill : readRatio > 0;
            long s = seed != null ? seed : System.nanoTime();
            return new BenchConfig(target, Endpoint.parseList(url), duration.toMillis(), connections, valueBytes,
                    keys, readRatio, r, w, rate == null ? 0 : rate, doPrefill, warmup.toMillis(), s, keyPrefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
