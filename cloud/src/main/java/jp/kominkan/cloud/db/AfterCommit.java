package jp.kominkan.cloud.db;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.dbclient.DbClient;

/**
 * Work to do on the committing thread right after a transaction of a database commits: numbering the grant
 * stream entries it queued (grant.StreamSequencer). {@link Sql#inTransaction} runs it; code that commits by hand
 * calls {@link #run(DbClient)}. Nothing may depend on it for correctness — a crash between the commit and the
 * hook loses it — so each hook's owner also sweeps on a timer.
 */
public final class AfterCommit {

    private static final Map<DbClient, List<Runnable>> HOOKS = new ConcurrentHashMap<>();

    private AfterCommit() {
    }

    /**
     * @param db   the database
     * @param hook runs after each of its commits, on the committing thread; must not throw
     */
    public static void register(DbClient db, Runnable hook) {
        HOOKS.computeIfAbsent(db, d -> new CopyOnWriteArrayList<>()).add(hook);
    }

    /**
     * @param db the database being closed
     */
    public static void forget(DbClient db) {
        HOOKS.remove(db);
    }

    /**
     * Runs the database's hooks: call right after a commit.
     *
     * @param db the database that committed
     */
    public static void run(DbClient db) {
        List<Runnable> hooks = HOOKS.get(db);
        if (hooks != null) {
            hooks.forEach(Runnable::run);
        }
    }
}
