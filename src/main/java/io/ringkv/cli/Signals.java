package io.ringkv.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import sun.misc.Signal;

/**
 * SIGTERM/SIGINT handling that exits with the code the shutdown work returns (0 on a clean stop),
 * where a plain shutdown hook would always end with 143.
 */
final class Signals {
  private Signals() {}

  static void onTermination(IntSupplier shutdown) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (stopping.compareAndSet(false, true)) {
          Thread stopper = new Thread(() -> System.exit(shutdown.getAsInt()), "ringkv-shutdown");
          stopper.start();
        }
      });
    }
  }

  /** SIGHUP runs {@code reload} on a thread of its own (the node re-reads its token file). */
  static void onHangup(Runnable reload) {
    Signal.handle(new Signal("HUP"), signal -> new Thread(reload, "ringkv-reload").start());
  }
}
