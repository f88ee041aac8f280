package io.ringkv.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded simulation of one key on three replicas (actors n1, n2, n3) used by four clients.
 *
 * <p>The model does not use vectors at all: it tracks explicit causal histories. A write's
 * history is its own dot plus the histories of every version its client read; a client that
 * reads a replica has seen the union of the histories of the versions there. A dot is
 * superseded exactly when some write's context (the client's seen set, own dot excluded)
 * contains it. The implementation, working with vectors and dots only, must agree. A context may
 * cover more than its client saw, but only versions that are already superseded.
 */
final class ReplicaSimulation {
    static final String[] ACTORS = {"n1", "n2", "n3"};
    private static final int MAX_IN_FLIGHT = 20;

    private record Message(int target, SiblingSet set) {
    }

    private static final class Client {
        VersionVector context; // null until the first read
        Set<Dot> seen = Set.of();
    }

    private final Random rnd;
    private final ConflictMode mode;
    private final long seed;
    private final SiblingSet[] replicas = {SiblingSet.empty(), SiblingSet.empty(), SiblingSet.empty()};
    private final Client[] clients = {new Client(), new Client(), new Client(), new Client()};
    private final Map<Dot, Set<Dot>> history = new HashMap<>(); // SIBLINGS mode only: dots are unique
    private final Map<Dot, Version> written = new HashMap<>();
    private final Set<Dot> superseded = new HashSet<>();
    private final List<Version> allWrites = new ArrayList<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final List<SiblingSet> observed = new ArrayList<>();
    private long now = 1_000;
    private int step;

    /** Counters that show a run exercised the interesting cases (so the test is not vacuous). */
    int siblingSteps;
    int tombstonesWritten;
    int supersededAtEnd;

    ReplicaSimulation(long seed, ConflictMode mode) {
        this.seed = seed;
        this.mode = mode;
        this.rnd = new Random(seed);
    }

    /** Runs {@code steps} random steps, checking every invariant after each. */
    ReplicaSimulation run(int steps) {
        for (step = 0; step < steps; step++) {
            step();
            check();
        }
        supersededAtEnd = superseded.size();
        return this;
    }

    /** Every replica state seen during the run: realistic inputs for the merge-law tests. */
    List<SiblingSet> observedStates() {
        return observed;
    }

    private void step() {
        now += rnd.nextInt(3); // slow clock, plus skew below: timestamps tie and go backwards
        int roll = rnd.nextInt(100);
        Client client = clients[rnd.nextInt(clients.length)];
        int replica = rnd.nextInt(replicas.length);
        if (roll < 25) {
            read(client, replica);
        } else if (roll < 60) {
            write(client, replica, false);
        } else if (roll < 70) {
            write(client, replica, true);
        } else if (roll < 85) {
            antiEntropy(replica, (replica + 1 + rnd.nextInt(2)) % replicas.length);
        } else if (roll < 95 && !inFlight.isEmpty()) {
            Message m = inFlight.remove(rnd.nextInt(inFlight.size()));
            store(m.target(), replicas[m.target()].merge(m.set(), mode));
        } else if (!inFlight.isEmpty()) {
            inFlight.remove(rnd.nextInt(inFlight.size())); // lost message
        }
    }

    private void read(Client client, int replica) {
        SiblingSet set = replicas[replica];
        client.context = set.context();
        client.seen = seenIn(set);
        checkContext(client, "context of a read");
    }

    /**
     * The context covers everything the client saw, and beyond that only versions that are
     * already superseded (covering those changes nothing); the client has then "seen" exactly
     * what its context covers.
     */
    private void checkContext(Client client, String what) {
        if (mode != ConflictMode.SIBLINGS) {
            return;
        }
        Set<Dot> covered = new HashSet<>();
        for (Dot d : history.keySet()) {
            boolean seenIt = client.seen.contains(d);
            boolean covers = client.context.covers(d);
            assertTrue(seenIt ? covers : !covers || superseded.contains(d),
                    () -> where() + ": " + what + " " + client.context + " vs model on " + d);
            if (covers) {
                covered.add(d);
            }
        }
        client.seen = covered;
    }

    private void write(Client client, int coordinator, boolean delete) {
        boolean blind = client.context == null || rnd.nextInt(3) == 0;
        VersionVector ctx = blind ? VersionVector.empty() : client.context;
        Set<Dot> seen = blind ? Set.of() : client.seen;
        SiblingSet local = replicas[coordinator];
        String actor = ACTORS[coordinator];
        Dot dot = new Dot(actor, Math.max(local.maxCounter(actor), ctx.get(actor)) + 1);
        assertEquals(dot, local.nextDot(actor, ctx), this::where);
        long ts = now + rnd.nextInt(5) - 2;
        Version v = delete ? Version.tombstone(dot, ctx, ts) : new Version(dot, ctx, ts, false, "text/plain",
                ("v" + allWrites.size()).getBytes(StandardCharsets.UTF_8));
        tombstonesWritten += delete ? 1 : 0;
        SiblingSet result = local.applyWrite(v, mode);
        store(coordinator, result);
        allWrites.add(v);
        if (mode == ConflictMode.SIBLINGS) {
            assertFalse(history.containsKey(dot), () -> where() + ": dot reused " + dot);
            assertTrue(result.contains(dot), () -> where() + ": fresh write missing at its coordinator");
            Set<Dot> h = new HashSet<>(seen);
            h.add(dot);
            history.put(dot, h);
            written.put(dot, v);
            superseded.addAll(seen);
        }
        int answer = rnd.nextInt(10);
        if (answer < 3) { // the coordinator answered with the whole resulting set (returnbody)
            client.context = result.context();
            client.seen = seenIn(result);
            checkContext(client, "context of the resulting set");
        } else if (answer < 7 && mode == ConflictMode.SIBLINGS) { // 204 with the new version's context
            client.context = result.contextAfterWrite(v);
            client.seen = history.get(dot);
            checkContext(client, "context after a write");
        }
        replicate(coordinator, result);
    }

    private void replicate(int coordinator, SiblingSet result) {
        for (int j = 0; j < replicas.length; j++) {
            int how = rnd.nextInt(3);
            if (j == coordinator || how == 2) {
                continue; // not sent: anti-entropy has to fix it
            }
            if (how == 0) {
                store(j, replicas[j].merge(result, mode));
            } else {
                inFlight.add(new Message(j, result));
                if (inFlight.size() > MAX_IN_FLIGHT) {
                    inFlight.remove(0);
                }
            }
        }
    }

    private void antiEntropy(int a, int b) {
        if (rnd.nextBoolean()) {
            SiblingSet m = replicas[a].merge(replicas[b], mode);
            store(a, m);
            store(b, m);
        } else {
            store(b, replicas[b].merge(replicas[a], mode));
        }
    }

    private void store(int replica, SiblingSet set) {
        replicas[replica] = set;
        observed.add(set);
    }

    private Set<Dot> seenIn(SiblingSet set) {
        if (mode == ConflictMode.LWW) {
            return Set.of();
        }
        Set<Dot> seen = new HashSet<>();
        for (Version v : set.versions()) {
            seen.addAll(history.get(v.dot()));
        }
        return seen;
    }

    private void check() {
        SiblingSet all = replicas[0].merge(replicas[1], mode).merge(replicas[2], mode);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
        Collections.shuffle(order, rnd);
        SiblingSet other = replicas[order.get(0)].merge(replicas[order.get(1)].merge(replicas[order.get(2)], mode), mode);
        assertEquals(all, other, () -> where() + ": merge order changed the result");
        if (all.size() > 1) {
            siblingSteps++;
        }
        if (mode == ConflictMode.SIBLINGS) {
            checkModel(all);
        } else {
            checkLww(all);
        }
        checkConvergence(all);
    }

    private void checkModel(SiblingSet all) {
        for (Dot d : history.keySet()) {
            boolean expected = !superseded.contains(d);
            assertEquals(expected, all.contains(d), () -> where() + ": " + d
                    + (expected ? " acknowledged but vanished" : " superseded but still present") + " in " + all);
        }
        for (Version v : all.versions()) {
            assertEquals(written.get(v.dot()), v, () -> where() + ": stored version differs from the write");
        }
    }

    private void checkLww(SiblingSet all) {
        for (SiblingSet r : replicas) {
            assertTrue(r.size() <= 1, () -> where() + ": LWW replica holds siblings " + r);
        }
        if (!allWrites.isEmpty()) {
            Version newest = Collections.max(allWrites, Version.ORDER);
            assertEquals(List.of(newest), all.versions(), () -> where() + ": LWW winner is not the newest write");
        }
    }

    /** Symmetric anti-entropy over the three pairs, in a random order, leaves every replica equal. */
    private void checkConvergence(SiblingSet all) {
        SiblingSet[] copy = replicas.clone();
        List<int[]> pairs = new ArrayList<>(List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {0, 2}));
        Collections.shuffle(pairs, rnd);
        for (int[] p : pairs) {
            SiblingSet m = rnd.nextBoolean() ? copy[p[0]].merge(copy[p[1]], mode) : copy[p[1]].merge(copy[p[0]], mode);
            copy[p[0]] = m;
            copy[p[1]] = m;
        }
        for (SiblingSet s : copy) {
            assertEquals(all, s, () -> where() + ": replicas did not converge");
        }
    }

    private String where() {
        return "seed=" + seed + " mode=" + mode + " step=" + step;
    }
}
