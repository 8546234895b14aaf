package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.Test;

/** The booking suite on a real PostgreSQL server, plus two cloud instances racing on one database. */
class BookingApiPostgresIT extends BookingApiSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }

    @Test
    void twoCloudInstancesOnOneDatabaseStillHaveExactlyOneWinner() throws Exception {
        try (Cloud second = TestCloud.start(jdbc, clock, false)) {
            assertThat(second.port()).isNotEqualTo(cloud.port());
            LocalDate day = today().plusDays(7);
            Map<Integer, AtomicInteger> statuses = race(List.of(cloud.port(), second.port()), STUDY_ROOM, day,
                    "09:00", "10:30", 200);
            assertThat(statuses.get(201)).hasValue(1);
            assertThat(statuses.get(409)).hasValue(199);
            assertSlotHeldByOneReservation(rooms.get(STUDY_ROOM), day, "09:00", 6);
        }
    }
}
