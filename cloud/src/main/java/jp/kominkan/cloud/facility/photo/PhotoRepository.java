package jp.kominkan.cloud.facility.photo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.web.Problem;

/**
 * Uploaded facility photos: the re-encoded bytes in {@code photo_file}, and their place in the
 * facility's list of photos ({@code facility_photo}, which the resident pages read) with the url
 * {@code /photos/<id>}. The SQL runs unchanged on H2 and PostgreSQL; every statement is limited to
 * one municipality, so an id from another town finds nothing.
 *
 * <p>Writes take the caller's transaction, so that a staff action and its audit record, say, commit
 * together. Who may change which facility (a child administrator's scope) is the caller's check.
 */
public final class PhotoRepository {

    /** Where uploaded photos are served; {@link PhotoHttpService} answers under it. */
    public static final String PATH = "/photos/";

    // Locks the facility row, so that two uploads at once do not take the same sort_order.
    private static final String LOCK_FACILITY = "select id from facility where municipality_id = ? and id = ? for update";
    private static final String NEXT_SORT_ORDER = """
            select coalesce(max(sort_order), 0) + 1 as next_order from facility_photo where facility_id = ?""";
    private static final String INSERT_FILE = """
            insert into photo_file (id, municipality_id, facility_id, media_type, width, height, bytes, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_ENTRY = """
            insert into facility_photo (facility_id, sort_order, url, alt_text, photo_file_id) values (?, ?, ?, ?, ?)""";
    private static final String DELETE_ENTRY = """
            delete from facility_photo
             where facility_id = ? and photo_file_id in (
                   select id from photo_file where id = ? and municipality_id = ? and facility_id = ?)""";
    private static final String DELETE_FILE = "delete from photo_file where id = ? and municipality_id = ? and facility_id = ?";
    private static final String FIND = """
            select id, facility_id, media_type, width, height, bytes, created_at
              from photo_file where municipality_id = ? and id = ?""";
    private static final String LIST = """
            select p.photo_file_id, p.url, p.alt_text, p.sort_order
              from facility_photo p join facility f on f.id = p.facility_id
             where f.municipality_id = ? and p.facility_id = ?
             order by p.sort_order""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public PhotoRepository(DbClient db) {
        this.db = Objects.requireNonNull(db);
    }

    /**
     * A stored photo, as {@code GET /photos/{id}} serves it.
     *
     * @param id         its id
     * @param facilityId the facility it shows
     * @param photo      bytes, media type and size
     * @param createdAt  when it was uploaded
     */
    public record StoredPhoto(UUID id, long facilityId, Photo photo, Instant createdAt) {

        /** Validates. */
        public StoredPhoto {
            Objects.requireNonNull(id);
            Objects.requireNonNull(photo);
            Objects.requireNonNull(createdAt);
        }
    }

    /**
     * One photo in a facility's list.
     *
     * @param fileId    the uploaded file's id; empty for a photo that was not uploaded (the demo's drawings
     *                  under {@code /static}), which cannot be removed here
     * @param url       where the photo is shown from
     * @param altText   its alternative text
     * @param sortOrder its place in the list, ascending
     */
    public record FacilityPhoto(Optional<UUID> fileId, String url, String altText, int sortOrder) {

        /** Validates. */
        public FacilityPhoto {
            Objects.requireNonNull(fileId);
            Objects.requireNonNull(url);
            Objects.requireNonNull(altText);
        }
    }

    /**
     * @param id a photo's id
     * @return the path it is served on
     */
    public static String url(UUID id) {
        return PATH + id;
    }

    /**
     * Stores a photo and adds it at the end of the facility's list.
     *
     * @param tx             the caller's transaction; it commits or rolls back
     * @param municipalityId the municipality of the request
     * @param facilityId     the facility
     * @param photo          the processed photo
     * @param altText        its alternative text (checked again with {@link PhotoProcessor#altText})
     * @param now            now
     * @return the new photo's id
     * @throws Problem 404 when the facility is not one of this municipality's, 400 for a bad alt text
     */
    public UUID add(DbTransaction tx, long municipalityId, long facilityId, Photo photo, String altText, Instant now) {
        Objects.requireNonNull(photo);
        String alt = PhotoProcessor.altText(altText);
        if (tx.get(LOCK_FACILITY, municipalityId, facilityId).isEmpty()) {
            throw Problem.notFound("facility", "施設");
        }
        int sortOrder = tx.get(NEXT_SORT_ORDER, facilityId).map(row -> Sql.integer(row, "next_order")).orElse(1);
        UUID id = UUID.randomUUID();
        tx.insert(INSERT_FILE, id, municipalityId, facilityId, photo.mediaType(), photo.width(), photo.height(),
                photo.bytes(), Sql.at(now));
        tx.insert(INSERT_ENTRY, facilityId, sortOrder, url(id), alt, id);
        return id;
    }

    /**
     * Removes an uploaded photo from the facility's list and deletes its bytes.
     *
     * @param tx             the caller's transaction
     * @param municipalityId the municipality of the request
     * @param facilityId     the facility
     * @param id             the photo
     * @return whether there was such a photo of this facility in this municipality
     */
    public boolean remove(DbTransaction tx, long municipalityId, long facilityId, UUID id) {
        tx.delete(DELETE_ENTRY, facilityId, id, municipalityId, facilityId);
        return tx.delete(DELETE_FILE, id, municipalityId, facilityId) == 1;
    }

    /**
     * @param municipalityId the municipality of the request
     * @param id             a photo's id
     * @return the photo, if it is this municipality's
     */
    public Optional<StoredPhoto> find(long municipalityId, UUID id) {
        return db.execute().get(FIND, municipalityId, id).map(row -> new StoredPhoto(Sql.uuid(row, "id"),
                Sql.longValue(row, "facility_id"),
                new Photo(Sql.bytes(row, "bytes"), Sql.text(row, "media_type"), Sql.integer(row, "width"),
                        Sql.integer(row, "height")),
                Sql.instant(row, "created_at")));
    }

    /**
     * @param municipalityId the municipality of the request
     * @param facilityId     the facility
     * @return its photos in order, uploaded or not; empty for another municipality's facility
     */
    public List<FacilityPhoto> list(long municipalityId, long facilityId) {
        return Sql.list(db.execute().query(LIST, municipalityId, facilityId), row -> new FacilityPhoto(
                Sql.value(row, "photo_file_id").map(PhotoRepository::uuid), Sql.text(row, "url"),
                Sql.text(row, "alt_text"), Sql.integer(row, "sort_order")));
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }
}
