package jp.kominkan.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body nested deeper than the API ever needs is a 400 with a message, not a 500 with a stack
 * trace — before any login, so an anonymous caller cannot make the server work through it; and every
 * answer carries {@code X-Content-Type-Options: nosniff}.
 */
class JsonLimitsIT {

    static Cloud cloud;
    static Api api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), Clock.systemUTC(), true);
        api = new Api(cloud.port());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void aBodyNestedAThousandDeepIsRefusedWith400() {
        for (int depth : new int[] {Json.MAX_DEPTH + 1, 1_000, 5_000}) {
            // An unknown field is skipped, not read, so it is where depth alone could make the server work.
            String body = "{\"email\":\"a@example.jp\",\"password\":\"x\",\"extra\":" + "[".repeat(depth)
                    + "]".repeat(depth) + "}";
            Api.Response refused = api.post("/api/v1/session", body).send();
            assertThat(refused.status()).as("depth " + depth + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().get("detail").asText()).contains("入れ子が深すぎます");
            assertThat(refused.body()).doesNotContain("Exception").doesNotContain("at jp.");
        }
        Api.Response shallow = api.post("/api/v1/session", "{\"email\":\"a@example.jp\",\"password\":\"x\"}").send();
        assertThat(shallow.status()).as("an ordinary body is read as before").isEqualTo(401);
    }

    @Test
    void everyAnswerSaysNoSniffingErrorsAndJsonIncluded() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : new String[] {"/api/v1/facilities", "/api/v1/no-such-thing", "/api/v1/staff/doors", "/"}) {
            java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + cloud.port() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.headers().allValues("X-Content-Type-Options")).as(path + " " + answer.statusCode())
                    .containsExactly("nosniff");
        }
    }
}
