package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A month of availability over HTTP in both forms: per slot (the default) and as runs of equal state. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvailabilityFormatsIT {

    private Cloud cloud;
    private Api api;
    private long hall;

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true);
        api = new Api(cloud.port());
        hall = Sql.longValue(cloud.database().client().execute().get("select id from room where name = ?", "大会議室")
                .orElseThrow(), "id");
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void runsDescribeExactlyTheSameMonthAsTheSlots() {
        String from = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(1).toString();
        JsonNode slots = api.get("/api/v1/rooms/" + hall + "/availability?from=" + from + "&days=31").send().json()
                .get("slots");
        Api.Response answer = api.get("/api/v1/rooms/" + hall + "/availability?from=" + from + "&days=31&format=runs")
                .send();
        assertThat(answer.status()).isEqualTo(200);
        JsonNode runs = answer.json().get("runs");
        assertThat(slots).hasSize(31 * 96);
        assertThat(runs.size()).isBetween(2, 31 * 96 / 4);
        // Unrolled, the runs are the slots: same states, back to back, no gap and no overlap.
        int slot = 0;
        for (int r = 0; r < runs.size(); r++) {
            JsonNode run = runs.get(r);
            OffsetDateTime end = OffsetDateTime.parse(run.get("end").asText());
            assertThat(run.get("start").asText()).isEqualTo(slots.get(slot).get("start").asText());
            if (r > 0) {
                assertThat(run.get("state").asText()).isNotEqualTo(runs.get(r - 1).get("state").asText());
            }
            while (slot < slots.size() && OffsetDateTime.parse(slots.get(slot).get("start").asText()).isBefore(end)) {
                assertThat(slots.get(slot).get("state").asText()).isEqualTo(run.get("state").asText());
                slot++;
            }
        }
        assertThat(slot).isEqualTo(slots.size());
        assertThat(answer.body().length()).isLessThan(api.get("/api/v1/rooms/" + hall + "/availability?from=" + from
                + "&days=31").send().body().length() / 20);
    }

    @Test
    void anUnknownFormatIsAFieldProblem() {
        Api.Response answer = api.get("/api/v1/rooms/" + hall + "/availability?format=csv").send();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).contains("application/problem+json");
        assertThat(answer.body()).contains("format").contains("runs");
    }
}
