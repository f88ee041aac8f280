package io.ringkv.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Turns "read key i" / "write key i with value v" into HTTP requests for one target system, and
 * decides which statuses count as success. Shared by all lanes (thread-safe).
 *
 * <p>Against ringkv it behaves like a well-written client: it remembers the {@code X-Context} each
 * answer carried for a key and sends it with the next write of that key, so a write supersedes
 * what that client saw instead of piling up siblings (blind writes to one key never supersede each
 * other, which is right for a store that keeps concurrent writes but is not what a load test of
 * "overwrite a key" means). A key it has no context for yet is written once with
 * {@code returnbody=true}, to learn the context of everything already there.
 */
final class Protocol {

    /** A ready-to-send request; body is null for bodiless requests. */
    record Op(boolean read, int key, RequestOptions options, Buffer body) { }

    /** Per-request time limit; a request still unanswered after this is an error ("timeout"). */
    static final long REQUEST_TIMEOUT_MS = 10_000;

    private static final String OCTETS = "application/octet-stream";
    private static final String JSON = "application/json";

    private final BenchConfig.Target target;
    private final String r;
    private final String w;
    private final AtomicReferenceArray<String> contexts;
    private final String keyPrefix;
    /** "Bearer TOKEN" on every request, or null. */
    private String authorization;

    Protocol(BenchConfig.Target target, String r, String w, int keys, String keyPrefix) {
        this.target = target;
        this.r = r;
        this.w = w;
        this.contexts = new AtomicReferenceArray<>(target == BenchConfig.Target.etcd ? 0 : keys);
        this.keyPrefix = keyPrefix;
    }

    /** Sends {@code token} (null: none) as a bearer token with every request. */
    Protocol withToken(String token) {
        this.authorization = token == null || token.isEmpty() ? null : "Bearer " + token;
        return this;
    }

    /** Remembers the causal context a ringkv answer carried for the op's key. */
    void remember(Op op, String context) {
        if (context != null && op.key() < contexts.length()) {
            contexts.set(op.key(), context);
        }
    }

    /** Key i under the default prefix. */
    static String key(int i) {
        return BenchConfig.DEFAULT_KEY_PREFIX + i;
    }

    private String name(int i) {
        return keyPrefix + i;
    }

    Op read(Endpoint ep, int key) {
        if (target == BenchConfig.Target.etcd) {
            String body = "{\"key\":\"" + b64(name(key)) + "\",\"serializable\":true}";
            return new Op(true, key, options(ep, HttpMethod.POST, "/v3/kv/range", JSON), Buffer.buffer(body));
        }
        return new Op(true, key, options(ep, HttpMethod.GET, "/kv/" + name(key) + "?r=" + r, null), null);
    }

    /**
     * @param value      raw value bytes (ringkv sends them as the body)
     * @param valueB64   the same bytes in base64, precomputed because etcd wants JSON
     */
    Op write(Endpoint ep, int key, Buffer value, String valueB64) {
        if (target == BenchConfig.Target.etcd) {
            String body = "{\"key\":\"" + b64(name(key)) + "\",\"value\":\"" + valueB64 + "\"}";
            return new Op(false, key, options(ep, HttpMethod.POST, "/v3/kv/put", JSON), Buffer.buffer(body));
        }
        String context = contexts.get(key);
        // The first write of a key this client has no context for asks for the resulting siblings
        // (returnbody): their joined context lets its next write replace them all, as an
        // overwrite should, instead of leaving earlier runs' values beside it as siblings.
        String uri = "/kv/" + name(key) + "?w=" + w + (context == null ? "&returnbody=true" : "");
        RequestOptions options = options(ep, HttpMethod.PUT, uri, OCTETS);
        if (context != null) {
            options.putHeader("X-Context", context);
        }
        return new Op(false, key, options, value);
    }

    /** ringkv: a read finding siblings (300) or nothing (404) still did its job; etcd answers 200. */
    boolean success(boolean read, int status) {
        if (target == BenchConfig.Target.etcd) {
            return status == 200;
        }
        if (read) {
            return status == 200 || status == 300 || status == 404;
        }
        return status == 204 || status == 200 || status == 300;
    }

    private RequestOptions options(Endpoint ep, HttpMethod method, String path, String contentType) {
        RequestOptions o = new RequestOptions()
                .setMethod(method)
                .setHost(ep.host())
                .setPort(ep.port())
                .setSsl(ep.tls())
                .setURI(ep.basePath() + path)
                .setTimeout(REQUEST_TIMEOUT_MS);
        if (contentType != null) {
            o.putHeader("Content-Type", contentType);
        }
        if (authorization != null) {
            o.putHeader("Authorization", authorization);
        }
        return o;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
