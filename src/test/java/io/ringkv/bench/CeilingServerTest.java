package io.ringkv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.ringkv.storage.GroupCommitWriter;
import io.ringkv.storage.LevelDbEngine;
import io.ringkv.storage.LevelDbSettings;
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
        GroupCommitWriter log = new GroupCommitWriter(engine, true, 16, 1024);
        WebClient web = WebClient.create(vertx);
        try {
            String deployment = CeilingServer.deploy(vertx, "127.0.0.1", port, 2, log).await();
            assertEquals(204, web.put(port, "127.0.0.1", "/kv/kept").sendBuffer(Buffer.buffer("value")).await().statusCode());
            assertEquals(204, web.put(port, "127.0.0.1", "/kv/gone").sendBuffer(Buffer.buffer("x")).await().statusCode());
            assertEquals(204, web.delete(port, "127.0.0.1", "/kv/gone").send().await().statusCode());
            assertEquals("value", web.get(port, "127.0.0.1", "/kv/kept").send().await().bodyAsString());
            vertx.undeploy(deployment).await();
            // Answered means written: every change is in LevelDB, and the writer batched them.
            assertEquals(3, log.updatesWritten());
            assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), engine.get(bytes("kept")));
            assertNull(engine.get(bytes("gone")));
        } finally {
            web.close();
            log.close();
            engine.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
