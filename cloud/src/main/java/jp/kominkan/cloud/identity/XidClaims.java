package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.account.PostalAddress;

/**
 * xID's verified basic facts (基本4情報 less sex, which we do not ask for):
 * <pre>
 * "last_name": "山吹", "first_name": "花子",
 * "last_name_substitute": "…", "first_name_substitute": "…",     (代替文字, when present)
 * "former_last_name": "…", "former_first_name": "…",             (旧氏, when present)
 * "address": {"prefecture": "山梨県", "city": "山吹市", "rest": "中央1-2-3"},
 * "date_of_birth": {"year": 1985, "month": 4, "day": 1},
 * "email": "…", "phone_number": "…"                              (optional)
 * </pre>
 * The shape is written down in {@code docs/identity.md}.
 */
public final class XidClaims implements ClaimsMapping {

    @Override
    public VerifiedFacts map(Map<String, Object> values, LocalDate today) {
        Claims claims = new Claims(values);
        String name = Claims.limited("last_name", fullName(claims.requiredName("last_name", 50),
                claims.requiredName("first_name", 50)), 100);
        Optional<String> substitute = both(claims, "last_name_substitute", "first_name_substitute")
                .filter(alt -> !alt.equals(name));
        Optional<String> former = both(claims, "former_last_name", "former_first_name");
        Claims address = claims.requiredObject("address");
        PostalAddress postal = new PostalAddress(Claims.limited("prefecture", address.requiredText("prefecture"), 10),
                Claims.limited("city", address.requiredText("city"), 50),
                Claims.limited("rest", address.text("rest").orElse(""), 300));
        Claims birth = claims.requiredObject("date_of_birth");
        LocalDate birthDate = Claims.date("date_of_birth", birth.requiredNumber("year"), birth.requiredNumber("month"),
                birth.requiredNumber("day"), today);
        return new VerifiedFacts(claims.subject(), name, substitute, former, postal, birthDate, claims.email(),
                claims.phone());
    }

    private static Optional<String> both(Claims claims, String last, String first) {
        Optional<String> family = claims.name(last, 50);
        Optional<String> given = claims.name(first, 50);
        if (family.isEmpty() && given.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fullName(family.orElse(""), given.orElse("")));
    }

    private static String fullName(String family, String given) {
        return (family + " " + given).strip();
    }
}
