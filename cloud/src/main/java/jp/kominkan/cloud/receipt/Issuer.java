package jp.kominkan.cloud.receipt;

/**
 * Who issues a receipt or refund notice (発行者): the municipality that collects the fee under its
 * ordinance, and the facility whose counter or page took it.
 *
 * @param municipality e.g. {@code 鉾田市}
 * @param facility     e.g. {@code 鉾田中央公民館}
 */
public record Issuer(String municipality, String facility) {

    /** Checks both names are present. */
    public Issuer {
        Texts.requireText(municipality, "municipality");
        Texts.requireText(facility, "facility");
    }
}
