package jp.kominkan.cloud.facility;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where facilities and rooms are kept. Every lookup is scoped to one municipality.
 */
public interface FacilityRepository {

    /**
     * @param municipalityId the municipality
     * @return its published facilities, by reading (what residents see)
     */
    List<Facility> facilities(long municipalityId);

    /**
     * @param municipalityId the municipality
     * @return all its facilities, published or not (for staff)
     */
    List<Facility> allFacilities(long municipalityId);

    /**
     * @param municipalityId the municipality
     * @param facilityId     the facility
     * @return the facility, if it is this municipality's
     */
    Optional<Facility> facility(long municipalityId, long facilityId);

    /**
     * @param municipalityId the municipality
     * @param facilityId     the facility
     * @return its rooms
     */
    List<Room> rooms(long municipalityId, long facilityId);

    /**
     * @param municipalityId the municipality
     * @param roomId         the room
     * @return the room, if it is this municipality's
     */
    Optional<Room> room(long municipalityId, long roomId);

    /**
     * @param facilityId the facility
     * @param from       first date
     * @param until      last date, inclusive
     * @return the facility's closed days (休館日) in the range
     */
    Set<LocalDate> closedDays(long facilityId, LocalDate from, LocalDate until);
}
