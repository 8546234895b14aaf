package jp.kominkan.cloud.identity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.account.PostalAddress;
import jp.kominkan.shared.seal.SealedBox;

/**
 * The answer of xID's Userdata API ({@code GET {api}/verification/userdata}, Bearer the access token), opened and
 * read. As published (the Azure AD B2C partner guide's field list; the OWND project's client, docs/identity.md
 * "xID Userdata"): {@code first_name}, {@code last_name} and {@code verified_at} (Unix seconds) come in clear;
 * every other field is Base64 of 24 leading bytes (a nonce the sealed box does not use) and a libsodium sealed
 * box to the municipality's X25519 key. A field that cannot be opened is refused by name, never shown.
 *
 * @param familyName       姓 ({@code last_name})
 * @param givenName        名 ({@code first_name})
 * @param previousName     旧姓 ({@code previous_name}), when there is one
 * @param birthDate        from {@code year}, {@code month}, {@code date}
 * @param address          {@code prefecture}, {@code city}, {@code address}
 * @param gender           "1" or "2" as xID sends it, when sent
 * @param substitutes      the {@code sub_char_*} fields (代替文字), kept as received, by field name
 * @param verifiedAt       when xID last checked the card, when sent
 */
public record XidUserdata(String familyName, String givenName, Optional<String> previousName, LocalDate birthDate,
                          PostalAddress address, Optional<String> gender, Map<String, String> substitutes,
                          Optional<Instant> verifiedAt) {

    /** The fields xID encrypts, as the published client opens them. */
    static final List<String> ENCRYPTED = List.of("previous_name", "year", "month", "date", "prefecture", "city",
            "address", "gender", "sub_char_common_name", "sub_char_previous_name", "sub_char_address");
    /** The bytes before the sealed box in each encrypted field. */
    static final int PREFIX = 24;

    /** Copies the map. */
    public XidUserdata {
        substitutes = Map.copyOf(substitutes);
    }

    /**
     * @param answer the Userdata API's JSON object
     * @param box    the municipality's key pair
     * @param today  today, to check the birth date
     * @return what it says
     * @throws IdentityFailure naming the field, when one is missing, malformed or cannot be opened
     */
    public static XidUserdata open(Map<String, Object> answer, SealedBox box, LocalDate today) {
        return open(answer, box, Optional.empty(), today);
    }

    /**
     * @param answer    the Userdata API's JSON object
     * @param box       the municipality's key pair
     * @param signature the signature check, when the provider turned it on (inference: {@link UserdataSignature})
     * @param today     today, to check the birth date
     * @return what it says
     * @throws IdentityFailure naming the field, when one is missing, malformed or cannot be opened, or the signature
     *                         does not check out
     */
    static XidUserdata open(Map<String, Object> answer, SealedBox box, Optional<UserdataSignature> signature,
                            LocalDate today) {
        Map<String, Object> clear = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : answer.entrySet()) {
            if (Claims.MY_NUMBER_CLAIMS.contains(field.getKey())) {
                continue; // never read
            }
            clear.put(field.getKey(), ENCRYPTED.contains(field.getKey()) && field.getValue() != null
                    ? opened(field.getKey(), field.getValue(), box) : field.getValue());
        }
        signature.ifPresent(check -> check.check(clear));
        Claims claims = new Claims(clear);
        String family = claims.requiredName("last_name", 50);
        String given = claims.requiredName("first_name", 50);
        LocalDate birth = Claims.date("year", claims.requiredNumber("year"), claims.requiredNumber("month"),
                claims.requiredNumber("date"), today);
        PostalAddress address = new PostalAddress(Claims.limited("prefecture", claims.requiredText("prefecture"), 10),
                Claims.limited("city", claims.requiredText("city"), 50),
                Claims.limited("address", claims.text("address").orElse(""), 300));
        Optional<String> gender = claims.text("gender");
        if (gender.isPresent() && !gender.get().matches("[12]")) {
            throw IdentityFailure.claims("gender", "Gender is not one of the values xID sends (1 or 2).",
                    "性別の値が xID の仕様（1 または 2）と異なります。");
        }
        Map<String, String> substitutes = new LinkedHashMap<>();
        for (String name : List.of("sub_char_common_name", "sub_char_previous_name", "sub_char_address")) {
            claims.text(name).ifPresent(value -> substitutes.put(name, Claims.limited(name, value, 300)));
        }
        return new XidUserdata(family, given, claims.name("previous_name", 100), birth, address, gender, substitutes,
                verifiedAt(clear.get("verified_at")));
    }

    /** @return 姓 名, as the account shows it */
    public String name() {
        return familyName + " " + givenName;
    }

    private static String opened(String field, Object value, SealedBox box) {
        if (!(value instanceof String text)) {
            throw IdentityFailure.claims(field, "This item has an unexpected form.", "項目の形式が正しくありません。");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw IdentityFailure.claims(field, "This encrypted item is not Base64.", "暗号化された項目の形式が正しくありません。");
        }
        if (bytes.length < PREFIX + SealedBox.OVERHEAD) {
            throw IdentityFailure.claims(field, "This encrypted item is too short.", "暗号化された項目が短すぎます。");
        }
        try {
            byte[] plain = box.open(Arrays.copyOfRange(bytes, PREFIX, bytes.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (SealedBox.Refused e) {
            throw IdentityFailure.claims(field, "This encrypted item could not be opened with the municipality's key.",
                    "暗号化された項目を自治体の鍵で復号できませんでした。");
        }
    }

    private static Optional<Instant> verifiedAt(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number) {
            return Optional.of(Instant.ofEpochSecond(number.longValue()));
        }
        String text = String.valueOf(value).strip();
        if (text.matches("\\d{1,12}")) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        }
        throw IdentityFailure.claims("verified_at", "This item is not a time.", "確認日時の形式が正しくありません。");
    }
}
