package jp.kominkan.cloud.resident;

import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;

/**
 * A facility in a list: how many rooms, and the largest.
 *
 * @param facility    the facility
 * @param rooms       its rooms
 * @param maxCapacity its largest room's capacity
 */
public record FacilityCard(Facility facility, int rooms, int maxCapacity) {
}
