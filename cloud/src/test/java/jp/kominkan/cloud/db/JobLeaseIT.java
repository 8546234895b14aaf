package jp.kominkan.cloud.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One instance of several holds a job's lease; another takes it only once it lapses or is given up. */
class JobLeaseIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void oneInstanceHoldsTheLeaseUntilItLapsesOrIsGivenUp(TestDatabases.Kind kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (Cloud cloud = TestCloud.start(TestDatabases.fresh(kind), clock, false, java.util.Map.of())) {
            var db = cloud.database().client();
            JobLease a = new JobLease(db, clock);
            JobLease b = new JobLease(db, clock);
            Duration length = Duration.ofMinutes(2);
            assertThat(a.acquire("test-job", length)).isTrue();
            assertThat(b.acquire("test-job", length)).isFalse();
            clock.advance(Duration.ofMinutes(1));
            assertThat(a.acquire("test-job", length)).as("renewed by its holder").isTrue();
            clock.advance(Duration.ofMinutes(1).plusSeconds(30));
            assertThat(b.acquire("test-job", length)).as("not lapsed: renewed a minute ago").isFalse();
            clock.advance(Duration.ofMinutes(1));
            assertThat(b.acquire("test-job", length)).as("lapsed").isTrue();
            assertThat(a.acquire("test-job", length)).isFalse();
            b.release("test-job");
            assertThat(a.acquire("test-job", length)).as("given up").isTrue();
            // Other jobs are leased apart.
            assertThat(b.acquire("other-job", length)).isTrue();

            // Eight instances racing for a fresh job: exactly one gets it.
            List<JobLease> instances = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                instances.add(new JobLease(db, clock));
            }
            List<Future<Boolean>> tries = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (JobLease lease : instances) {
                    tries.add(pool.submit((Callable<Boolean>) () -> lease.acquire("raced-job", length)));
                }
            }
            int holders = 0;
            for (Future<Boolean> t : tries) {
                holders += t.get() ? 1 : 0;
            }
            assertThat(holders).isEqualTo(1);
        }
    }
}
