package jp.kominkan.cloud.facility;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A room that can be booked (部屋・区画), with the rules its bookings must follow.
 *
 * @param id                      room id
 * @param municipalityId          owner
 * @param facilityId              the facility it is in
 * @param name                    name
 * @param capacity                most people allowed
 * @param bookingHorizonDays      how many days ahead it can be booked (予約受付期間)
 * @param pricePerHourResident    yen per hour for residents (市内)
 * @param pricePerHourNonResident yen per hour for everyone else (市外)
 * @param hours                   opening hours
 * @param zone                    the facility's time zone
 * @param published          whether its facility is published (residents may book it)
 * @param grantMarginMinutes      how long before and after a booking its code opens the door
 */
public record Room(long id, long municipalityId, long facilityId, String name, int capacity, int bookingHorizonDays,
                   int pricePerHourResident, int pricePerHourNonResident, OpeningHours hours, ZoneId zone,
                   int grantMarginMinutes, boolean published) {

    /** Checks the fields are present and sane. */
    public Room {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(zone, "zone");
        if (capacity <= 0 || bookingHorizonDays <= 0 || pricePerHourResident < 0 || pricePerHourNonResident < 0
                || grantMarginMinutes < 0) {
            throw new IllegalArgumentException("Bad room " + id);
        }
    }

    /** @return whether both prices are zero */
    public boolean isFree() {
        return pricePerHourResident == 0 && pricePerHourNonResident == 0;
    }
}
