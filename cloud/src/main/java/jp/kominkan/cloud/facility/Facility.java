package jp.kominkan.cloud.facility;

import java.util.List;
import java.util.Objects;

/**
 * A public facility (公共施設): a community centre (公民館), sports hall, study room and so on.
 *
 * @param id             facility id
 * @param municipalityId owner
 * @param name           name
 * @param nameKana       reading in katakana, for sorting and search
 * @param address        street address
 * @param type           kind of facility, e.g. {@code community-center}
 * @param description    what it offers
 * @param accessNotes    how to get there, parking, barrier-free access
 * @param photos         photos, in display order
 * @param usageRules  利用上の注意, shown with the facility
 * @param published   whether residents see it
 * @param equipment      equipment that can be used, in display order
 */
public record Facility(long id, long municipalityId, String name, String nameKana, String address, String type,
                       String description, String accessNotes, List<Photo> photos, List<String> equipment,
                       String usageRules, boolean published) {

    /** Checks the fields are present and copies the lists. */
    public Facility {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nameKana, "nameKana");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(accessNotes, "accessNotes");
        Objects.requireNonNull(usageRules, "usageRules");
        photos = List.copyOf(photos);
        equipment = List.copyOf(equipment);
    }

    /**
     * A photo of the facility.
     *
     * @param url     where the image is
     * @param altText what it shows, for screen readers
     */
    public record Photo(String url, String altText) {
    }
}
