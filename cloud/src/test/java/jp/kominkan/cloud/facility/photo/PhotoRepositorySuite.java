package jp.kominkan.cloud.facility.photo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.helidon.webserver.WebServer;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.web.HtmlErrors;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.ProblemHandler;
import jp.kominkan.cloud.web.Tenancy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Uploaded photos are stored by the migrated schema, take their place at the end of the facility's
 * list, are served with their type and safety headers to their own municipality only, and are gone
 * when removed; on a real database of each kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PhotoRepositorySuite {

    private static final String HOST = "ichinomiya.localhost";
    private static final String OTHER_HOST = "ninomiya.localhost";
    private static final Instant NOW = Instant.parse("2026-12-01T01:02:03Z");

    private final PhotoProcessor processor = new PhotoProcessor(PhotoProcessor.Limits.DEFAULT);
    private Database database;
    private DbClient db;
    private PhotoRepository photos;
    private WebServer server;
    private HttpClient client;
    private long town;
    private long otherTown;
    private long hall;
    private long otherHall;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        database = Database.open(TestCloud.config(TestDatabases.fresh(kind()), java.util.Map.of()).get("db"));
        db = database.client();
        town = givenMunicipality("999101", HOST);
        otherTown = givenMunicipality("999102", OTHER_HOST);
        hall = givenFacility(town, "一宮公民館");
        otherHall = givenFacility(otherTown, "二宮公民館");
        photos = new PhotoRepository(db);
        Tenancy tenancy = new Tenancy(new Municipalities(db, Optional.empty()));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .routing(routing -> routing
                        .error(Problem.class, ProblemHandler.problems(HtmlErrors.NONE))
                        .register("/photos", new PhotoHttpService(photos, tenancy)))
                .build()
                .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        server.stop();
        database.close();
    }

    @Test
    void anAddedPhotoIsServedWithItsTypeAndSafetyHeaders() throws Exception {
        Photo photo = givenPhoto();
        UUID id = inTx(tx -> photos.add(tx, town, hall, photo, "ホールの舞台", NOW));

        HttpResponse<byte[]> response = get("/photos/" + id, HOST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(photo.bytes());
        assertThat(response.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=86400");
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'");
    }

    @Test
    void aStoredPhotoReadsBackAsItWasAdded() {
        Photo photo = processor.process(TestImages.encode(TestImages.transparentWithSquare(24, 12), "png"), "a.png", "");
        UUID id = inTx(tx -> photos.add(tx, town, hall, photo, "館内図", NOW));

        PhotoRepository.StoredPhoto stored = photos.find(town, id).orElseThrow();

        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.facilityId()).isEqualTo(hall);
        assertThat(stored.photo().mediaType()).isEqualTo(Photo.PNG);
        assertThat(stored.photo().width()).isEqualTo(24);
        assertThat(stored.photo().height()).isEqualTo(12);
        assertThat(stored.photo().bytes()).isEqualTo(photo.bytes());
        assertThat(stored.createdAt()).isEqualTo(NOW);
    }

    @Test
    void aTagThatMatchesNeedsNoBody() throws Exception {
        UUID id = inTx(tx -> photos.add(tx, town, hall, givenPhoto(), "玄関", NOW));
        String etag = get("/photos/" + id, HOST).headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = client.send(HttpRequest.newBuilder(uri("/photos/" + id))
                .header("Host", HOST).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void anotherMunicipalitysPhotoIsNotFound() throws Exception {
        UUID id = inTx(tx -> photos.add(tx, town, hall, givenPhoto(), "ロビー", NOW));

        assertThat(get("/photos/" + id, OTHER_HOST).statusCode()).isEqualTo(404);
        assertThat(photos.find(otherTown, id)).isEmpty();
        assertThat(photos.find(town, id)).isPresent();
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() throws Exception {
        for (String path : List.of("/photos/" + UUID.randomUUID(), "/photos/not-a-uuid", "/photos/1' or '1'='1")) {
            HttpResponse<byte[]> response = get(path.replace(" ", "%20").replace("'", "%27"), HOST);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).contains("application/problem+json");
        }
    }

    @Test
    void photosGoToTheEndOfTheFacilitysListAfterThoseAlreadyThere() {
        long facility = givenFacility(town, "三宮集会所");
        inTx(tx -> tx.insert("insert into facility_photo (facility_id, sort_order, url, alt_text) values (?, ?, ?, ?)",
                facility, 1, "/static/demo/kominkan-exterior.svg", "外観"));

        UUID first = inTx(tx -> photos.add(tx, town, facility, givenPhoto(), "和室", NOW));
        UUID second = inTx(tx -> photos.add(tx, town, facility, givenPhoto(), "  調理室\n", NOW));

        assertThat(photos.list(town, facility)).containsExactly(
                new PhotoRepository.FacilityPhoto(Optional.empty(), "/static/demo/kominkan-exterior.svg", "外観", 1),
                new PhotoRepository.FacilityPhoto(Optional.of(first), "/photos/" + first, "和室", 2),
                new PhotoRepository.FacilityPhoto(Optional.of(second), "/photos/" + second, "調理室", 3));
        assertThat(photos.list(otherTown, facility)).as("not listed for another municipality").isEmpty();
    }

    @Test
    void removingDeletesTheFileAndItsPlaceButOnlyWithinItsMunicipalityAndFacility() throws Exception {
        long facility = givenFacility(town, "四宮会館");
        UUID kept = inTx(tx -> photos.add(tx, town, facility, givenPhoto(), "残す写真", NOW));
        UUID removed = inTx(tx -> photos.add(tx, town, facility, givenPhoto(), "消す写真", NOW));

        assertThat(removed(tx -> photos.remove(tx, otherTown, facility, removed))).isFalse();
        assertThat(removed(tx -> photos.remove(tx, town, hall, removed))).as("another facility").isFalse();
        assertThat(photos.find(town, removed)).isPresent();

        assertThat(removed(tx -> photos.remove(tx, town, facility, removed))).isTrue();

        assertThat(photos.find(town, removed)).isEmpty();
        assertThat(get("/photos/" + removed, HOST).statusCode()).isEqualTo(404);
        assertThat(photos.list(town, facility)).extracting(PhotoRepository.FacilityPhoto::fileId)
                .containsExactly(Optional.of(kept));
        assertThat(removed(tx -> photos.remove(tx, town, facility, removed))).as("already gone").isFalse();
    }

    @Test
    void addingToAnotherMunicipalitysFacilityIsRefusedAndStoresNothing() {
        long before = count();
        DbTransaction tx = db.transaction();
        try {
            Problem problem = catchThrowableOfType(Problem.class,
                    () -> photos.add(tx, town, otherHall, givenPhoto(), "よその施設", NOW));
            assertThat(problem).isNotNull();
            assertThat(problem.status()).isEqualTo(404);
        } finally {
            Sql.rollbackQuietly(tx);
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aPhotoWithoutAltTextIsRefused() {
        DbTransaction tx = db.transaction();
        try {
            Problem problem = catchThrowableOfType(Problem.class, () -> photos.add(tx, town, hall, givenPhoto(), " ", NOW));
            assertThat(problem).isNotNull();
            assertThat(problem.field()).contains("alt");
        } finally {
            Sql.rollbackQuietly(tx);
        }
    }

    private Photo givenPhoto() {
        return processor.process(TestImages.withExif(TestImages.encode(TestImages.halves(64, 32), "jpeg"),
                TestImages.exif(1)), "p.jpg", "image/jpeg");
    }

    private long givenMunicipality(String code, String host) {
        return inTx(tx -> {
            tx.insert("insert into municipality (code, name, name_kana, prefecture, city, zone_id) values (?, ?, ?, ?, ?, ?)",
                    code, "町" + code, "まち", "千葉県", "町" + code, "Asia/Tokyo");
            long id = tx.get("select id from municipality where code = ?", code)
                    .map(row -> Sql.longValue(row, "id")).orElseThrow();
            tx.insert("insert into municipality_host (host, municipality_id) values (?, ?)", host, id);
            return id;
        });
    }

    private long givenFacility(long municipality, String name) {
        return inTx(tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, ?, ?, ?, ?, ?, ?)""", municipality, name, "こうみんかん", "一宮1-1", "公民館", "", "");
            return tx.get("select max(id) as id from facility where municipality_id = ? and name = ?", municipality, name)
                    .map(row -> Sql.longValue(row, "id")).orElseThrow();
        });
    }

    private long count() {
        return db.execute().get("select count(*) as n from photo_file").map(row -> Sql.longValue(row, "n")).orElseThrow();
    }

    private boolean removed(Function<DbTransaction, Boolean> work) {
        return inTx(work);
    }

    private <T> T inTx(Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    private HttpResponse<byte[]> get(String path, String host) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Host", host).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
