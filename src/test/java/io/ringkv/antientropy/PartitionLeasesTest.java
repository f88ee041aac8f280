package io.ringkv.antientropy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One exchange per partition per node at a time; both directions at once: the smaller id goes on. */
class PartitionLeasesTest {

  @Test
  void aPartitionInOneExchangeRefusesAnother() {
    PartitionLeases n3 = new PartitionLeases("n3", 2_000, 60_000);
    assertTrue(n3.admit(7, "n1", 0), "free: n1's exchange is answered");
    assertTrue(n3.admit(7, "n1", 10), "n1 again (a second exchange of its own)");
    assertFalse(n3.admit(7, "n2", 100), "n2 waits while n1 repairs n3's partition 7");
    assertTrue(n3.admit(8, "n2", 100), "other partitions are free");
    assertFalse(n3.tryInitiate(7, "n2", 100), "nor may n3 start its own exchange of 7 meanwhile");
    n3.touch(7, "n1", 1_500);
    assertFalse(n3.admit(7, "n2", 3_000), "every message of n1's exchange holds it");
    assertTrue(n3.admit(7, "n2", 3_600), "lapses 2 s after n1's last message");
  }

  @Test
  void anInitiatorHoldsItsPartitionUntilItReleasesIt() {
    PartitionLeases n1 = new PartitionLeases("n1", 2_000, 60_000);
    assertTrue(n1.tryInitiate(3, "n2", 0));
    assertFalse(n1.tryInitiate(3, "n3", 1), "one exchange of a partition at a time");
    assertFalse(n1.admit(3, "n3", 5_000), "n3's exchange waits");
    n1.release(3, "n3");
    assertFalse(n1.tryInitiate(3, "n3", 5_001), "only the holder's release counts");
    n1.release(3, "n2");
    assertTrue(n1.admit(3, "n3", 5_002));
    assertTrue(n1.tryInitiate(4, "n2", 0) && !n1.tryInitiate(4, "n2", 59_999) && n1.tryInitiate(4, "n2", 60_000),
        "a lost release lapses after the initiator's safety net");
  }

  @Test
  void whenTwoNodesStartWithEachOtherTheSmallerIdGoesOn() {
    PartitionLeases n1 = new PartitionLeases("n1", 2_000, 60_000);
    PartitionLeases n3 = new PartitionLeases("n3", 2_000, 60_000);
    assertTrue(n1.tryInitiate(5, "n3", 0));
    assertTrue(n3.tryInitiate(5, "n1", 0));
    assertTrue(n3.admit(5, "n1", 1), "n3 answers n1");
    assertFalse(n1.admit(5, "n3", 1), "n1 tells n3 it is busy");
    n3.release(5, "n1"); // n3 gives up and tries again later
    n3.touch(5, "n1", 2);
    assertFalse(n3.tryInitiate(5, "n1", 3), "n1's exchange now holds n3's partition");
  }
}
