package jp.kominkan.cloud.account;

import java.util.Objects;

/**
 * A Japanese address as a resident's register holds it (住所).
 *
 * @param prefecture 都道府県, e.g. 山梨県
 * @param city       市区町村 with any designated-city ward or county, e.g. 横浜市中区
 * @param rest       the rest: town, block and building (町域・番地・建物)
 */
public record PostalAddress(String prefecture, String city, String rest) {

    /** Checks the parts are present. */
    public PostalAddress {
        Objects.requireNonNull(prefecture, "prefecture");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(rest, "rest");
    }
}
