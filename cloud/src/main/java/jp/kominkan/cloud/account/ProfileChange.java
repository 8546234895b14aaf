package jp.kominkan.cloud.account;

/**
 * Body of {@code PATCH /api/v1/me}. A field left out (or null) stays as it is; an empty string clears
 * an optional field (phone, organisation).
 *
 * @param email        new e-mail
 * @param phone        new telephone number
 * @param organisation new organisation or group name
 * @param name         new name (locked once verified)
 * @param address      new address (locked once verified)
 * @param birthDate    new birth date, YYYY-MM-DD (locked once verified)
 */
public record ProfileChange(String email, String phone, String organisation, String name, AddressChange address,
                            String birthDate) {

    /**
     * @param prefecture 都道府県
     * @param city       市区町村
     * @param rest       the rest of the address
     */
    public record AddressChange(String prefecture, String city, String rest) {
    }
}
