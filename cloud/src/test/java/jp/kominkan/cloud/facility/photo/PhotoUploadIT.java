package jp.kominkan.cloud.facility.photo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import jp.kominkan.cloud.web.HtmlErrors;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.ProblemHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A staff upload form is read from a real socket: fields and file come out as sent (Japanese names
 * included), and a body over the limit is refused whether it says its length or is chunked.
 */
class PhotoUploadIT {

    private static final int LIMIT = 100 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .routing(routing -> routing
                        .error(Problem.class, ProblemHandler.problems(HtmlErrors.NONE))
                        .post("/upload", (req, res) -> {
                            PhotoUpload upload = PhotoUpload.read(req, LIMIT);
                            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
                            res.send(String.join("\n", upload.fileName(), upload.contentType(), upload.altText(),
                                    upload.csrf(), Integer.toString(upload.bytes().length), sha256(upload.bytes()),
                                    upload.fields().toString()));
                        }))
                .build()
                .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void theFileAndEveryFieldComeOutAsSent() throws Exception {
        byte[] photo = binary(LIMIT - 10); // random bytes: CR, LF and dashes as a JPEG has them
        MultipartBody form = new MultipartBody()
                .field("_csrf", "csrf-token-1")
                .field("alt", "和室の全景（窓から公園が見えます）")
                .file("photo", "和室 1.jpg", "image/jpeg", photo)
                .field("facility", "3");

        HttpResponse<String> response = post(form.contentType(), form.bytes());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String[] echoed = response.body().split("\n");
        assertThat(echoed[0]).isEqualTo("和室 1.jpg");
        assertThat(echoed[1]).isEqualTo("image/jpeg");
        assertThat(echoed[2]).isEqualTo("和室の全景（窓から公園が見えます）");
        assertThat(echoed[3]).isEqualTo("csrf-token-1");
        assertThat(echoed[4]).isEqualTo(Integer.toString(photo.length));
        assertThat(echoed[5]).isEqualTo(sha256(photo));
        assertThat(echoed[6]).contains("facility=3");
    }

    @Test
    void aBodyThatIsNotAFormIsRefused() throws Exception {
        HttpResponse<String> response = post("application/json", "{\"photo\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("type").asText()).isEqualTo("urn:kominkan:problem:not-multipart");
    }

    @Test
    void aPhotoOverTheLimitIsRefusedByItsContentLength() throws Exception {
        // 6 MB, as a phone photo would be: refused from the header, before the body is read
        MultipartBody form = new MultipartBody().field("alt", "大きすぎる写真").file("photo", "big.jpg", "image/jpeg",
                binary(60 * LIMIT));

        HttpResponse<String> response = post(form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("field").asText()).isEqualTo("photo");
        assertThat(problem(response).path("detail").asText()).contains("100 KB");
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOffWhileReading() throws Exception {
        MultipartBody form = new MultipartBody().file("photo", "big.jpg", "image/jpeg", binary(60 * LIMIT));
        byte[] body = form.bytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                .header("Content-Type", form.contentType())
                .header("Accept-Language", "en")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Content-Length")).isPresent(); // the answer, not an echo
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("field").asText()).isEqualTo("photo");
        assertThat(problem(response).path("detail").asText()).contains("larger than 100 KB");
    }

    @Test
    void aPhotoPartOverTheLimitWithinTheFormAllowanceIsRefused() throws Exception {
        MultipartBody form = new MultipartBody().file("photo", "a.jpg", "image/jpeg", binary(LIMIT + 1));

        HttpResponse<String> response = post(form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("field").asText()).isEqualTo("photo");
    }

    @Test
    void aFormWithNoFileChosenAsksForAPhoto() throws Exception {
        MultipartBody form = new MultipartBody().field("alt", "説明だけ").file("photo", "", "application/octet-stream",
                new byte[0]);

        HttpResponse<String> response = post(form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("field").asText()).isEqualTo("photo");
        assertThat(problem(response).path("detail").asText()).contains("Choose a photo");
    }

    @Test
    void twoPhotosInOneFormAreRefused() throws Exception {
        MultipartBody form = new MultipartBody().file("photo", "a.jpg", "image/jpeg", binary(10))
                .file("photo", "b.jpg", "image/jpeg", binary(10));

        HttpResponse<String> response = post(form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("detail").asText()).contains("one photo at a time");
    }

    @Test
    void aBodyWithoutItsBoundaryIsRefusedAsUnreadable() throws Exception {
        HttpResponse<String> response = post("multipart/form-data; boundary=nothere",
                "just some text, no parts".getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem(response).path("type").asText()).isEqualTo("urn:kominkan:problem:unreadable-form");
    }

    private static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                .header("Content-Type", contentType)
                .header("Accept-Language", "en")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode problem(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        return JSON.readTree(response.body());
    }

    private static byte[] binary(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
