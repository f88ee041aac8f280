package io.ringkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    private static BenchConfig parse(String... args) {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void defaultsFollowTheCliContract() {
        BenchConfig cfg = parse("--url", "http://127.0.0.1:8081");
        assertEquals(30_000, cfg.durationMs());
        assertEquals(50, cfg.connections());
        assertEquals(100, cfg.valueBytes());
        assertEquals(100_000, cfg.keys());
        assertEquals(0.5, cfg.readRatio());
        assertEquals("2", cfg.r());
        assertEquals("2", cfg.w());
        assertFalse(cfg.openLoop());
        assertEquals(BenchConfig.Target.ringkv, cfg.target());
        assertTrue(cfg.prefill(), "reads need data: prefill defaults to on when read-ratio > 0");
        assertEquals(2_000, cfg.warmupMs());
        assertEquals("bench-", cfg.keyPrefix());
    }

    @Test
    void aKeyPrefixNamesAnotherKeySpace() {
        assertEquals("absent-", parse("--url", "http://127.0.0.1:8081", "--key-prefix", "absent-").keyPrefix());
        assertThrows(CommandLine.ParameterException.class,
                () -> parse("--url", "http://127.0.0.1:8081", "--key-prefix", "a/b"));
        assertThrows(CommandLine.ParameterException.class,
                () -> parse("--url", "http://127.0.0.1:8081", "--key-prefix", ""));
    }

    @Test
    void allFlagsAreParsed() {
        BenchConfig cfg = parse("--url", "http://a:1,http://b:2/", "--duration", "500ms", "--connections", "7",
                "--value-bytes", "10", "--keys", "20", "--read-ratio", "0", "--r", "quorum", "--w", "3",
                "--rate", "250", "--target", "etcd", "--warmup", "0s", "--seed", "9");
        assertEquals(2, cfg.urls().size());
        assertEquals("b", cfg.urls().get(1).host());
        assertEquals(2, cfg.urls().get(1).port());
        assertEquals("", cfg.urls().get(1).basePath());
        assertEquals(500, cfg.durationMs());
        assertEquals(7, cfg.connections());
        assertEquals(10, cfg.valueBytes());
        assertEquals(20, cfg.keys());
        assertEquals("quorum", cfg.r());
        assertEquals("3", cfg.w());
        assertEquals(250.0, cfg.rate());
        assertTrue(cfg.openLoop());
        assertEquals(BenchConfig.Target.etcd, cfg.target());
        assertFalse(cfg.prefill(), "write-only runs need no prefill");
        assertEquals(0, cfg.warmupMs());
        assertEquals(9, cfg.seed());
        assertTrue(parse("--url", "http://a:1", "--read-ratio", "0", "--prefill", "true").prefill());
        assertFalse(parse("--url", "http://a:1", "--prefill", "false").prefill());
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThrows(CommandLine.ParameterException.class, () -> parse("--duration", "1s"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "ftp://x:1"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "http://x:1", "--rate", "0"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "http://x:1", "--read-ratio", "1.5"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "http://x:1", "--r", "most"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "http://x:1", "--duration", "soon"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--url", "http://x:1", "--target", "redis"));
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).execute("--url", "http://x:1",
                "--connections", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("connections"), err.toString());
    }

    @Test
    void durationsInTheContractsUnits() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofSeconds(5), DurationConverter.parse("5"));
        assertEquals(Duration.ofSeconds(45), DurationConverter.parse("PT45S"));
    }

    @Test
    void jsonRunAgainstCeilingPrintsOneObject(Vertx vertx) throws Exception {
        int port = LoadGeneratorTest.freePort();
        CeilingServer.deploy(vertx, "127.0.0.1", port, 1).await();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--url", "http://127.0.0.1:" + port, "--duration", "500ms", "--warmup", "200ms",
                        "--connections", "2", "--keys", "200", "--json", "--seed", "1");

        assertEquals(0, code, err.toString());
        String text = out.toString().trim();
        assertEquals(1, text.lines().count(), "one JSON line: " + text);
        JsonObject json = new JsonObject(text);
        assertEquals("closed", json.getString("mode"));
        assertTrue(json.getLong("ops") > 0);
        assertEquals(0, json.getLong("errorCount"));
        assertEquals(0, json.getLong("prefillErrors"));
        assertTrue(json.getJsonObject("read").getLong("count") > 0);
        assertTrue(err.toString().contains("prefill"), "progress goes to stderr: " + err);
    }

    @Test
    void textRunPrintsTable(Vertx vertx) throws Exception {
        int port = LoadGeneratorTest.freePort();
        CeilingServer.deploy(vertx, "127.0.0.1", port, 1).await();
        StringWriter out = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("--url", "http://127.0.0.1:" + port, "--duration", "300ms", "--warmup", "0s",
                        "--connections", "1", "--keys", "10", "--rate", "100");
        assertEquals(0, code);
        String text = out.toString();
        assertTrue(text.contains("mode=open rate=100/s"), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("write")), text);
        assertNotEquals(-1, text.indexOf("p99.9 ms"), text);
    }
}
