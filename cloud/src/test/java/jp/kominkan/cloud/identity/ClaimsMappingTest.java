package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** One test per data shape each provider profile may send. */
class ClaimsMappingTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    final XidClaims xid = new XidClaims();
    final StandardClaims standard = new StandardClaims();

    static Map<String, Object> xidClaims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "abc");
        claims.put("last_name", "山吹");
        claims.put("first_name", "花子");
        claims.put("address", Map.of("prefecture", "山梨県", "city", "山吹市", "rest", "中央1-2-3"));
        claims.put("date_of_birth", Map.of("year", 1985, "month", 4, "day", 1));
        return claims;
    }

    @Test
    void xidPlainNameAddressAndBirthDate() {
        VerifiedFacts facts = xid.map(xidClaims(), TODAY);
        assertThat(facts.subject()).isEqualTo("abc");
        assertThat(facts.name()).isEqualTo("山吹 花子");
        assertThat(facts.nameSubstitute()).isEmpty();
        assertThat(facts.formerName()).isEmpty();
        assertThat(facts.address().city()).isEqualTo("山吹市");
        assertThat(facts.address().rest()).isEqualTo("中央1-2-3");
        assertThat(facts.birthDate()).isEqualTo(LocalDate.of(1985, 4, 1));
        assertThat(facts.email()).isEmpty();
    }

    @Test
    void xidSubstituteCharactersAndFormerName() {
        Map<String, Object> claims = xidClaims();
        claims.put("last_name", "髙橋");
        claims.put("last_name_substitute", "高橋");
        claims.put("first_name_substitute", "花子");
        claims.put("former_last_name", "佐藤");
        claims.put("former_first_name", "花子");
        VerifiedFacts facts = xid.map(claims, TODAY);
        assertThat(facts.name()).isEqualTo("髙橋 花子");
        assertThat(facts.nameSubstitute()).contains("高橋 花子");
        assertThat(facts.formerName()).contains("佐藤 花子");
    }

    @Test
    void xidSubstituteEqualToTheNameIsNotKeptTwice() {
        Map<String, Object> claims = xidClaims();
        claims.put("last_name_substitute", "山吹");
        claims.put("first_name_substitute", "花子");
        assertThat(xid.map(claims, TODAY).nameSubstitute()).isEmpty();
    }

    @Test
    void xidNamesKeepTheirRegisteredCharacters() {
        Map<String, Object> claims = xidClaims();
        claims.put("last_name", "\uFA1B田");   // compatibility ideograph 福, which NFKC would fold to U+798F
        assertThat(xid.map(claims, TODAY).name()).isEqualTo("\uFA1B田 花子");
    }

    @Test
    void xidFactsLongerThanTheirColumnsAreRefusedByName() {
        Map<String, Object> claims = xidClaims();
        claims.put("address", Map.of("prefecture", "山梨県", "city", "山吹市", "rest", "あ".repeat(301)));
        assertFailsOn(() -> xid.map(claims, TODAY), "rest");
    }

    @Test
    void xidContactDetailsAreTakenOnlyWhenUsable() {
        Map<String, Object> claims = xidClaims();
        claims.put("email", "Hanako@Example.JP");
        claims.put("phone_number", "０５５－１２３－４５６７");
        VerifiedFacts facts = xid.map(claims, TODAY);
        assertThat(facts.email()).contains("hanako@example.jp");
        assertThat(facts.phone()).contains("055-123-4567");
        claims.put("email_verified", false);
        claims.put("phone_number", "call me");
        assertThat(xid.map(claims, TODAY).email()).isEmpty();
        assertThat(xid.map(claims, TODAY).phone()).isEmpty();
    }

    @Test
    void xidBirthDatePartsAsFullWidthStrings() {
        Map<String, Object> claims = xidClaims();
        claims.put("date_of_birth", Map.of("year", "１９８５", "month", "０４", "day", "１"));
        claims.put("address", Map.of("prefecture", "山梨県 ", "city", "　山吹市", "rest", ""));
        VerifiedFacts facts = xid.map(claims, TODAY);
        assertThat(facts.birthDate()).isEqualTo(LocalDate.of(1985, 4, 1));
        assertThat(facts.address().prefecture()).isEqualTo("山梨県");
        assertThat(facts.address().city()).isEqualTo("山吹市");
    }

    @Test
    void xidMissingOrGarbledFactsNameTheClaim() {
        Map<String, Object> noAddress = xidClaims();
        noAddress.remove("address");
        assertFailsOn(() -> xid.map(noAddress, TODAY), "address");
        Map<String, Object> noCity = xidClaims();
        noCity.put("address", Map.of("prefecture", "山梨県"));
        assertFailsOn(() -> xid.map(noCity, TODAY), "city");
        Map<String, Object> addressAsText = xidClaims();
        addressAsText.put("address", "山梨県山吹市中央1-2-3");
        assertFailsOn(() -> xid.map(addressAsText, TODAY), "address");
        Map<String, Object> feb30 = xidClaims();
        feb30.put("date_of_birth", Map.of("year", 1985, "month", 2, "day", 30));
        assertFailsOn(() -> xid.map(feb30, TODAY), "date_of_birth");
        Map<String, Object> future = xidClaims();
        future.put("date_of_birth", Map.of("year", 2030, "month", 1, "day", 1));
        assertFailsOn(() -> xid.map(future, TODAY), "date_of_birth");
        Map<String, Object> month = xidClaims();
        month.put("date_of_birth", Map.of("year", 1985, "month", "April", "day", 1));
        assertFailsOn(() -> xid.map(month, TODAY), "month");
        Map<String, Object> noName = xidClaims();
        noName.remove("first_name");
        assertFailsOn(() -> xid.map(noName, TODAY), "first_name");
    }

    static Map<String, Object> standardClaims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "def");
        claims.put("name", "桜川　太郎");
        claims.put("address", Map.of("region", "神奈川県", "locality", "横浜市中区", "street_address", "本町1-1",
                "formatted", "神奈川県横浜市中区本町1-1"));
        claims.put("birthdate", "1979-12-31");
        claims.put("email", "taro@example.jp");
        return claims;
    }

    @Test
    void standardClaimsWithAStructuredAddress() {
        VerifiedFacts facts = standard.map(standardClaims(), TODAY);
        assertThat(facts.name()).isEqualTo("桜川 太郎");
        assertThat(facts.address().prefecture()).isEqualTo("神奈川県");
        assertThat(facts.address().city()).isEqualTo("横浜市中区");
        assertThat(facts.address().rest()).isEqualTo("本町1-1");
        assertThat(facts.birthDate()).isEqualTo(LocalDate.of(1979, 12, 31));
        assertThat(facts.email()).contains("taro@example.jp");
    }

    @Test
    void standardBirthDatesInOddFormsAreRefused() {
        for (String odd : new String[] {"0000-12-31", "1979", "1979/12/31", "昭和54年12月31日", "1979-02-29"}) {
            Map<String, Object> claims = standardClaims();
            claims.put("birthdate", odd);
            assertFailsOn(() -> standard.map(claims, TODAY), "birthdate");
        }
    }

    @Test
    void standardAddressWithoutItsPartsIsRefused() {
        Map<String, Object> claims = standardClaims();
        claims.put("address", Map.of("formatted", "神奈川県横浜市中区本町1-1"));
        assertFailsOn(() -> standard.map(claims, TODAY), "region");
    }

    private static void assertFailsOn(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String claim) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IdentityFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(IdentityFailure.Kind.CLAIMS);
            assertThat(failure.reason()).isEqualTo("claims:" + claim);
            assertThat(failure.toProblem().japanese()).contains(claim);
        });
    }
}
