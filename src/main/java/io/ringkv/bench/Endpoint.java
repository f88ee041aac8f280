package io.ringkv.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** One base URL the load generator talks to, split into the parts RequestOptions needs. */
public record Endpoint(String url, String host, int port, String basePath, boolean tls) {

    /** Parses "http://host:port[/prefix]" or "https://..." (a node serving TLS). */
    public static Endpoint parse(String raw) {
        String url = raw.trim();
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad URL '" + url + "': " + e.getMessage());
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("URL must look like http://host:port or https://host:port, got '"
                    + url + "'");
        }
        int port = uri.getPort() == -1 ? tls ? 443 : 80 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        // A trailing slash would produce "//kv/..." which the router treats as a different path.
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Endpoint(url, uri.getHost(), port, path, tls);
    }

    /** Parses a comma-separated list, ignoring empty items. */
    public static List<Endpoint> parseList(String commaSeparated) {
        List<Endpoint> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--url needs at least one URL");
        }
        return out;
    }
}
