package io.ringkv.merkle;

import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;

/**
 * What a tree update costs the writer thread: {@link PartitionTrees#changing} for a 100-byte value
 * overwritten by another (two record digests, a key hash, a leaf update), one thread, after warm-up.
 * Run: java -cp target/classes:target/test-classes:$(deps) io.ringkv.merkle.TreeUpdateBenchMain
 */
public final class TreeUpdateBenchMain {
  private TreeUpdateBenchMain() {}

  public static void main(String[] args) {
    PartitionTrees trees = new PartitionTrees(new TreeShape(16, 3), 256);
    for (int p = 0; p < 256; p++) {
      trees.startBuild(p).finish();
    }
    byte[][] records = new byte[2][];
    for (int i = 0; i < 2; i++) {
      records[i] = SiblingSetCodec.encode(SiblingSet.of(java.util.List.of(new Version(new Dot("n1", 1_000 + i),
          VersionVector.empty().with(new Dot("n2", 7)), 1_700_000_000_000L + i, false, "application/octet-stream",
          new byte[100]))));
    }
    byte[][] keys = new byte[10_000][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ("\u0001\u0000\u0000\u0000\u0000bench-" + i).getBytes(StandardCharsets.ISO_8859_1);
    }
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      int n = 2_000_000;
      for (int i = 0; i < n; i++) {
        trees.changing(i & 255, keys[i % keys.length], 5, records[i & 1], records[(i + 1) & 1]);
      }
      long ns = System.nanoTime() - start;
      System.out.printf("round %d: %.0f ns per update, %.2f M updates/s%n", round, (double) ns / n, n * 1e3 / ns);
    }
  }
}
