package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.kominkan.cloud.account.PostalAddress;

/**
 * OpenID Connect standard claims as the Digital Agency's デジタル認証アプリ sends them for the scopes
 * {@code openid name address birthdate}:
 * <pre>
 * "name": "山吹 花子",
 * "address": {"region": "山梨県", "locality": "山吹市", "street_address": "中央1-2-3", "formatted": "…"},
 * "birthdate": "1985-04-01"
 * </pre>
 * Birth dates must be complete ({@code 0000-04-01} or a bare year cannot be used for a verified record).
 */
public final class StandardClaims implements ClaimsMapping {

    private static final Pattern ISO_DATE = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})$");

    @Override
    public VerifiedFacts map(Map<String, Object> values, LocalDate today) {
        Claims claims = new Claims(values);
        String name = claims.requiredName("name", 100);
        Claims address = claims.requiredObject("address");
        PostalAddress postal = new PostalAddress(Claims.limited("region", address.requiredText("region"), 10),
                Claims.limited("locality", address.requiredText("locality"), 50),
                Claims.limited("street_address", address.text("street_address").orElse(""), 300));
        String birth = claims.requiredText("birthdate");
        Matcher date = ISO_DATE.matcher(birth);
        if (!date.matches() || "0000".equals(date.group(1))) {
            throw IdentityFailure.claims("birthdate", "The birth date is not a complete date (YYYY-MM-DD).",
                    "生年月日が年・月・日のそろった日付ではありません。");
        }
        LocalDate birthDate = Claims.date("birthdate", Integer.parseInt(date.group(1)), Integer.parseInt(date.group(2)),
                Integer.parseInt(date.group(3)), today);
        return new VerifiedFacts(claims.subject(), name, Optional.empty(), Optional.empty(), postal,
                birthDate, claims.email(), claims.phone());
    }
}
