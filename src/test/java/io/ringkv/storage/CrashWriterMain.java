package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link EngineCrashTest}; it is killed with SIGKILL, never stopped cleanly.
 * ENGINE is leveldb or rocksdb; DIR is laid out as a node's data dir.
 *
 * <pre>
 * writer  ENGINE DIR THREADS   writes k0, k1, ... with a synced GroupCommitWriter; prints "ACK kI" per completed write
 * counter ENGINE DIR LEASE     hands out CounterLease values; prints "CTR V" per value
 * </pre>
 */
public final class CrashWriterMain {

  private CrashWriterMain() {}

  static String valueOf(String key) {
    return ("value-of-" + key + "|").repeat(4);
  }

  public static void main(String[] args) throws Exception {
    StorageEngine engine = StorageEngines.open(Path.of(args[2]), StorageOptions.defaults(args[1]));
    System.err.println("engine " + engine.name());
    if (args[0].equals("writer")) {
      writer(engine, Integer.parseInt(args[3]));
    } else {
      counter(engine, Long.parseLong(args[3]));
    }
  }

  private static void writer(StorageEngine engine, int threads) throws Exception {
    GroupCommitWriter writer = new GroupCommitWriter(engine, true, 512, 100_000);
    LinkedBlockingQueue<String> acks = new LinkedBlockingQueue<>();
    Semaphore inFlight = new Semaphore(2000); // keeps the queue below its bound
    AtomicLong next = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        while (true) {
          inFlight.acquireUninterruptibly();
          String key = "k" + next.getAndIncrement();
          writer.write(List.of(Mutation.put(key.getBytes(UTF_8), valueOf(key).getBytes(UTF_8))))
              .whenComplete((v, e) -> {
                inFlight.release();
                // Only a completed (synced) write is acknowledged; a failure is simply never ACKed.
                acks.add(e == null ? "ACK " + key : "ERR " + key + " " + e);
              });
        }
      }).start();
    }
    // One printer thread, so the writer thread never blocks on stdout.
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, UTF_8));
    while (true) {
      out.write(acks.take());
      out.newLine();
      if (acks.isEmpty()) {
        out.flush();
      }
    }
  }

  private static void counter(StorageEngine engine, long leaseSize) throws Exception {
    CounterLease lease = new CounterLease(engine, "dots", leaseSize);
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, UTF_8));
    for (long i = 0; ; i++) {
      out.write("CTR " + lease.next());
      out.newLine();
      if (i % 64 == 0) {
        out.flush();
      }
    }
  }
}
