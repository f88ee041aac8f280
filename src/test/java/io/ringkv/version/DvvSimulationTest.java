package io.ringkv.version;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The main safety property of the DVV core: three replicas, four clients, random interleavings
 * of reads, blind and context writes, deletes, partial replication, delayed or lost messages and
 * anti-entropy. No acknowledged write may vanish unless a write whose context covered it
 * superseded it; nothing superseded may survive; replicas converge in any merge order.
 */
class DvvSimulationTest {
    private static final int SEQUENCES = 2_000;
    private static final int STEPS = 50;

    @Test
    void siblingsModeNeverLosesAcknowledgedWritesAndConverges() {
        int siblingSteps = 0;
        int tombstones = 0;
        int superseded = 0;
        for (long seed = 0; seed < SEQUENCES; seed++) {
            ReplicaSimulation sim = new ReplicaSimulation(seed, ConflictMode.SIBLINGS).run(STEPS);
            siblingSteps += sim.siblingSteps;
            tombstones += sim.tombstonesWritten;
            superseded += sim.supersededAtEnd;
        }
        // Guard against a simulation that silently stopped exercising conflicts.
        assertTrue(siblingSteps > SEQUENCES * 5, "too few steps with siblings: " + siblingSteps);
        assertTrue(tombstones > SEQUENCES, "too few deletes: " + tombstones);
        assertTrue(superseded > SEQUENCES * 5, "too few superseded writes: " + superseded);
    }

    @Test
    void lwwModeKeepsTheNewestWriteEverywhereAndConverges() {
        for (long seed = 0; seed < SEQUENCES / 2; seed++) {
            new ReplicaSimulation(seed, ConflictMode.LWW).run(STEPS);
        }
    }
}
