package jp.kominkan.cloud.page;

import jp.kominkan.cloud.facility.Facility;

/**
 * A facility in a list: how many rooms, and the largest.
 *
 * @param facility    the facility
 * @param rooms       its rooms
 * @param maxCapacity its largest room's capacity
 */
public record FacilityCard(Facility facility, int rooms, int maxCapacity) {
}
