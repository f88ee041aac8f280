package io.ringkv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringkv.storage.GroupCommitWriter;
import io.ringkv.storage.LevelDbEngine;
import io.ringkv.storage.LevelDbSettings;
import io.ringkv.testing.GatedEngine;
import io.ringkv.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CeilingServerTest {

    @Test
    void servesRingkvShapedKvRoutes(Vertx vertx) throws Exception {
        int port = LoadGeneratorTest.freePort();
        CeilingServer.deploy(vertx, "127.0.0.1", port, 2).await();
        WebClient web = WebClient.create(vertx);
        try {
            HttpResponse<Buffer> miss = web.get(port, "127.0.0.1", "/kv/a%2Fb").send().await();
            assertEquals(404, miss.statusCode());
            assertEquals("not_found", miss.bodyAsJsonObject().getString("error"));

            HttpResponse<Buffer> put = web.put(port, "127.0.0.1", "/kv/a%2Fb?w=2")
                    .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("hello")).await();
            assertEquals(204, put.statusCode());
            assertEquals(CeilingServer.CONTEXT_TOKEN, put.getHeader("X-Context"));

            // Instances share one map: the read may land on the other verticle.
            HttpResponse<Buffer> hit = web.get(port, "127.0.0.1", "/kv/a%2Fb?r=2").send().await();
            assertEquals(200, hit.statusCode());
            assertEquals("hello", hit.bodyAsString());
            assertEquals("text/plain", hit.getHeader("Content-Type"));
            assertEquals(CeilingServer.CONTEXT_TOKEN, hit.getHeader("X-Context"));

            assertEquals(204, web.delete(port, "127.0.0.1", "/kv/a%2Fb").send().await().statusCode());
            assertEquals(404, web.get(port, "127.0.0.1", "/kv/a%2Fb").send().await().statusCode());
        } finally {
            web.close();
        }
    }

    @Test
    void syncedLogHoldsEveryAnsweredChange(Vertx vertx, @TempDir Path dir) throws Exception {
        int port = LoadGeneratorTest.freePort();
        LevelDbEngine engine = LevelDbEngine.open(dir, LevelDbSettings.defaults());
        GatedEngine disk = new GatedEngine(engine);
        GroupCommitWriter log = new GroupCommitWriter(disk, true, 16, 1024);
        WebClient web = WebClient.create(vertx);
        try {
            String deployment = CeilingServer.deploy(vertx, "127.0.0.1", port, 2, log).await();

            // While the log write is held, the PUT is not answered and the value is not readable.
            disk.holdWrites();
            Future<HttpResponse<Buffer>> held = web.put(port, "127.0.0.1", "/kv/kept").sendBuffer(Buffer.buffer("value"));
            TestCluster.await(10, "the PUT's log write reaches the disk", () -> disk.waitingWrites() == 1);
            assertEquals(404, web.get(port, "127.0.0.1", "/kv/kept").send().await().statusCode());
            assertFalse(held.isComplete(), "answered before its log write finished");
            disk.releaseWrites();
            assertEquals(204, held.await().statusCode());
            assertEquals("value", web.get(port, "127.0.0.1", "/kv/kept").send().await().bodyAsString());

            // A failed log write answers 503 and changes nothing.
            disk.failWritesOf("doomed");
            assertEquals(503, web.put(port, "127.0.0.1", "/kv/doomed").sendBuffer(Buffer.buffer("x")).await().statusCode());
            assertEquals(404, web.get(port, "127.0.0.1", "/kv/doomed").send().await().statusCode());
            disk.failWritesOf(null);

            assertEquals(204, web.put(port, "127.0.0.1", "/kv/gone").sendBuffer(Buffer.buffer("x")).await().statusCode());
            assertEquals(204, web.delete(port, "127.0.0.1", "/kv/gone").send().await().statusCode());
            assertEquals(404, web.get(port, "127.0.0.1", "/kv/gone").send().await().statusCode());
            vertx.undeploy(deployment).await();
            // Answered means written: LevelDB holds every answered change, and only those.
            assertEquals(3, log.updatesWritten());
            assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), engine.get(bytes("kept")));
            assertNull(engine.get(bytes("gone")));
            assertNull(engine.get(bytes("doomed")));
        } finally {
            disk.releaseWrites(); // a failed assertion must not leave the writer held at close
            web.close();
            log.close();
            engine.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
