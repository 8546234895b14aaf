package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import jp.kominkan.cloud.account.PostalAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** デジタル認証アプリ's claims, each a plain string: the address split, both birth-date forms, gender, names. */
class AgencyClaimsTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
    final AgencyClaims agency = new AgencyClaims();

    static Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "ppid-1");
        claims.put("name", "山田 太郎");
        claims.put("address", "千葉県松戸市根本387番地の5");
        claims.put("birthdate", "19850315");
        claims.put("gender", "1");
        return claims;
    }

    @Test
    void theAgencysStringsBecomeVerifiedFacts() {
        VerifiedFacts facts = agency.map(claims(), TODAY);
        assertThat(facts.subject()).isEqualTo("ppid-1");
        assertThat(facts.name()).isEqualTo("山田 太郎");
        assertThat(facts.address()).isEqualTo(new PostalAddress("千葉県", "松戸市", "根本387番地の5"));
        assertThat(facts.birthDate()).isEqualTo(LocalDate.of(1985, 3, 15));
        assertThat(facts.nameSubstitute()).isEmpty();
        assertThat(facts.email()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // 政令指定都市: the ward is kept with the city, as PostalAddress holds it (ResidencyJudge reads it as the city)
            "神奈川県横浜市中区日本大通1             | 神奈川県 | 横浜市中区       | 日本大通1",
            "静岡県浜松市中央区元城町103-2           | 静岡県   | 浜松市中央区     | 元城町103-2",
            "愛知県名古屋市中村区名駅1-1             | 愛知県   | 名古屋市中村区   | 名駅1-1",
            "北海道札幌市中央区北1条西2丁目          | 北海道   | 札幌市中央区     | 北1条西2丁目",
            // 郡: kept with the town or village
            "東京都西多摩郡瑞穂町大字箱根ケ崎2335    | 東京都   | 西多摩郡瑞穂町   | 大字箱根ケ崎2335",
            "北海道余市郡余市町朝日町4               | 北海道   | 余市郡余市町     | 朝日町4",
            "長野県北佐久郡軽井沢町大字軽井沢1323-28 | 長野県   | 北佐久郡軽井沢町 | 大字軽井沢1323-28",
            "群馬県佐波郡玉村町大字下新田201         | 群馬県   | 佐波郡玉村町     | 大字下新田201",
            // 東京都の特別区 are municipalities of their own
            "東京都千代田区霞が関1-3-1               | 東京都   | 千代田区         | 霞が関1-3-1",
            "東京都北区王子本町1-15-22               | 東京都   | 北区             | 王子本町1-15-22",
            // names holding 市・町・村・郡 before their own suffix
            "東京都町田市森野2-2-22                  | 東京都   | 町田市           | 森野2-2-22",
            "東京都東村山市本町1-2-3                 | 東京都   | 東村山市         | 本町1-2-3",
            "新潟県十日町市千歳町3-3                 | 新潟県   | 十日町市         | 千歳町3-3",
            "奈良県大和郡山市北郡山町248-4           | 奈良県   | 大和郡山市       | 北郡山町248-4",
            "三重県四日市市諏訪町1-5                 | 三重県   | 四日市市         | 諏訪町1-5",
            "京都府京都市中京区寺町通御池上る        | 京都府   | 京都市中京区     | 寺町通御池上る",
            "山梨県山吹市中央１－２－３              | 山梨県   | 山吹市           | 中央1-2-3",
            "沖縄県島尻郡渡嘉敷村字渡嘉敷183          | 沖縄県   | 島尻郡渡嘉敷村   | 字渡嘉敷183",
    })
    void theAddressIsSplitIntoPrefectureCityAndTheRest(String text, String prefecture, String city, String rest) {
        Map<String, Object> claims = claims();
        claims.put("address", text);
        assertThat(agency.map(claims, TODAY).address()).isEqualTo(new PostalAddress(prefecture, city, rest));
    }

    @Test
    void aDesignatedCityWardAndACountyStillJudgeResidency() {
        assertThat(ResidencyJudge.judge("神奈川県", AgencyClaims.address("神奈川県横浜市中区日本大通1").city(),
                "神奈川県", "横浜市")).isEqualTo(jp.kominkan.cloud.account.Account.Residency.RESIDENT);
        assertThat(ResidencyJudge.judge("東京都", AgencyClaims.address("東京都西多摩郡瑞穂町箱根ケ崎2335").city(),
                "東京都", "瑞穂町")).isEqualTo(jp.kominkan.cloud.account.Account.Residency.RESIDENT);
    }

    @Test
    void anAddressAsAnOpenIdObjectIsReadFromFormatted() {
        Map<String, Object> claims = claims();
        claims.put("address", Map.of("formatted", "山梨県山吹市駅前2-8"));
        assertThat(agency.map(claims, TODAY).address()).isEqualTo(new PostalAddress("山梨県", "山吹市", "駅前2-8"));
    }

    @Test
    void anAddressWithoutAKnownPrefectureOrMunicipalityIsRefusedNamingAddress() {
        for (String text : new String[] {"松戸市根本387番地の5", "千葉県根本387番地の5", "Chiba, Matsudo", "山吹県山吹市1"}) {
            Map<String, Object> claims = claims();
            claims.put("address", text);
            assertThatThrownBy(() -> agency.map(claims, TODAY)).as(text).isInstanceOfSatisfying(IdentityFailure.class,
                    f -> {
                        assertThat(f.kind()).isEqualTo(IdentityFailure.Kind.CLAIMS);
                        assertThat(f.reason()).isEqualTo("claims:address");
                        assertThat(f.toProblem().toString()).doesNotContain("根本");
                    });
        }
        Map<String, Object> missing = claims();
        missing.remove("address");
        assertThatThrownBy(() -> agency.map(missing, TODAY)).isInstanceOfSatisfying(IdentityFailure.class,
                f -> assertThat(f.reason()).isEqualTo("claims:address"));
    }

    @ParameterizedTest
    @CsvSource({"19850315, 1985-03-15", "1985-03-15, 1985-03-15", "２０００－０２－２９, 2000-02-29", "20001231, 2000-12-31"})
    void bothBirthDateFormsAreRead(String sent, LocalDate expected) {
        Map<String, Object> claims = claims();
        claims.put("birthdate", sent);
        assertThat(agency.map(claims, TODAY).birthDate()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"19850230", "1985-02-30", "00000315", "0000-03-15", "1985", "1985-0315", "198503151", "1985/03/15",
            "20990101", "18000101", "1985-13-01"})
    void aBadBirthDateIsRefusedNamingIt(String sent) {
        Map<String, Object> claims = claims();
        claims.put("birthdate", sent);
        assertThatThrownBy(() -> agency.map(claims, TODAY)).isInstanceOfSatisfying(IdentityFailure.class,
                f -> assertThat(f.reason()).isEqualTo("claims:birthdate"));
    }

    @Test
    void genderIsAOneDigitCodeKeptAsAStringOrAbsent() {
        assertThat(AgencyClaims.gender(new Claims(Map.of("gender", "2")))).contains("2");
        assertThat(AgencyClaims.gender(new Claims(Map.of("gender", "9")))).contains("9");
        assertThat(AgencyClaims.gender(new Claims(Map.of()))).isEmpty();
        for (Object bad : new Object[] {"male", "12", 1}) {
            Map<String, Object> claims = claims();
            claims.put("gender", bad);
            assertThatThrownBy(() -> agency.map(claims, TODAY)).as(bad.toString())
                    .isInstanceOfSatisfying(IdentityFailure.class, f -> assertThat(f.reason()).isEqualTo("claims:gender"));
        }
    }

    @Test
    void namesKeepOneSpaceAndTheirCharacters() {
        Map<String, Object> claims = claims();
        claims.put("name", "　髙橋\u3000\u3000美咲 ");
        assertThat(agency.map(claims, TODAY).name()).isEqualTo("髙橋 美咲");
        claims.put("name", "山田太郎");
        assertThat(agency.map(claims, TODAY).name()).isEqualTo("山田太郎");
        claims.remove("name");
        assertThatThrownBy(() -> agency.map(claims, TODAY)).isInstanceOfSatisfying(IdentityFailure.class,
                f -> assertThat(f.reason()).isEqualTo("claims:name"));
    }
}
