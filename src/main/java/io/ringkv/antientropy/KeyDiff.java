package io.ringkv.antientropy;

import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What two replicas must send each other for the keys of the leaves that differ, pure: given both
 * sides' keys with their versions digests (each in key order), the keys to pull (the peer has
 * versions this side lacks or differs on) and the keys to push (this side has versions the peer
 * lacks or differs on). A key whose digests differ is in both: its records are merged both ways,
 * so a concurrent version on either side survives as a sibling.
 */
record KeyDiff(List<byte[]> pull, List<byte[]> push) {

  static KeyDiff of(List<KeyDigest> mine, List<KeyDigest> theirs) {
    List<byte[]> pull = new ArrayList<>();
    List<byte[]> push = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < mine.size() || j < theirs.size()) {
      int cmp = i == mine.size() ? 1 : j == theirs.size() ? -1
          : Arrays.compareUnsigned(mine.get(i).key(), theirs.get(j).key());
      if (cmp < 0) {
        push.add(mine.get(i++).key());
      } else if (cmp > 0) {
        pull.add(theirs.get(j++).key());
      } else {
        if (mine.get(i).digest() != theirs.get(j).digest()) {
          pull.add(theirs.get(j).key());
          push.add(mine.get(i).key());
        }
        i++;
        j++;
      }
    }
    return new KeyDiff(pull, push);
  }

  boolean isEmpty() {
    return pull.isEmpty() && push.isEmpty();
  }
}
