package jp.kominkan.cloud.municipality;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A city, town or village (市町村) that runs its facilities on Kominkan. Every row of data belongs
 * to exactly one, and no request ever sees another's.
 *
 * @param id         internal id
 * @param code       the local government code (全国地方公共団体コード)
 * @param name       its name, e.g. 山吹市
 * @param prefecture its prefecture, e.g. 山梨県
 * @param city       its city part, as in an address
 * @param zone       its time zone (Asia/Tokyo)
 */
public record Municipality(long id, String code, String name, String prefecture, String city, ZoneId zone) {

    /** Checks the fields are present. */
    public Municipality {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefecture, "prefecture");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(zone, "zone");
    }
}
