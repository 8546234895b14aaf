package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.kominkan.cloud.account.PostalAddress;

/**
 * The claims of the Digital Agency's デジタル認証アプリ (profile {@code digital-agency}), read from userinfo for the
 * scopes {@code openid name address birthdate gender}, each one a plain string:
 * <pre>
 * "name": "山田 太郎", "address": "千葉県松戸市根本387番地の5", "birthdate": "19850315", "gender": "1"
 * </pre>
 * These shapes are inference from third-party code written against the Agency's API (docs/identity.md,
 * "デジタル認証アプリ"), so they are read defensively: the birth date as {@code YYYYMMDD} or {@code YYYY-MM-DD}, the
 * address as a string or as an OpenID {@code {"formatted": …}} object.
 *
 * <p>The address is one string; {@link #address} splits it into 都道府県, 市区町村 and the rest. The city part keeps a
 * designated city's ward (横浜市中区) and a county (西多摩郡瑞穂町), as {@link PostalAddress} holds them everywhere else;
 * {@link ResidencyJudge} reads 横浜市中区 as 横浜市 and drops the county. Tokyo's special wards are municipalities
 * of their own (東京都千代田区 → 千代田区).
 *
 * <p>Gender ({@code "1"} male, {@code "2"} female, …) is checked but not kept: nothing here prices or decides by it.
 */
public final class AgencyClaims implements ClaimsMapping {

    private static final List<String> PREFECTURES = List.of("北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",
            "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県",
            "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
            "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
            "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県");
    /** The 20 designated cities (政令指定都市), whose addresses name a ward after the city. */
    private static final List<String> DESIGNATED_CITIES = List.of("札幌市", "仙台市", "さいたま市", "千葉市", "横浜市",
            "川崎市", "相模原市", "新潟市", "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市",
            "広島市", "北九州市", "福岡市", "熊本市");
    /** Tokyo's 23 special wards (特別区). */
    private static final List<String> SPECIAL_WARDS = List.of("千代田区", "中央区", "港区", "新宿区", "文京区", "台東区",
            "墨田区", "江東区", "品川区", "目黒区", "大田区", "世田谷区", "渋谷区", "中野区", "杉並区", "豊島区", "北区",
            "荒川区", "板橋区", "練馬区", "足立区", "葛飾区", "江戸川区");
    /**
     * Municipalities whose name holds 市, 町, 村 or 郡 before its own suffix, where "up to the first 市・町・村" would cut
     * too early (十日町市 → 十日町) or read a county (大和郡山市 → 大和郡).
     */
    private static final List<String> TRICKY_NAMES = List.of("大和郡山市", "郡山市", "蒲郡市", "郡上市", "廿日市市",
            "四日市市", "野々市市", "十日町市", "大町市", "東村山市", "武蔵村山市", "羽村市", "大村市", "田村市",
            "玉村町", "大町町", "市川三郷町", "上市町", "下市町", "市貝町");
    /** Counties (郡) whose name holds 市 or 村. */
    private static final List<String> TRICKY_COUNTIES = List.of("余市郡", "高市郡", "西村山郡", "北村山郡", "東村山郡");
    private static final Pattern COUNTY = Pattern.compile("^([^市区町村郡]{1,5}郡)");
    private static final Pattern TOWN = Pattern.compile("^(.+?[町村])");
    private static final Pattern CITY_TOWN_VILLAGE = Pattern.compile("^(.+?[市町村])");
    private static final Pattern WARD = Pattern.compile("^(.{1,5}?区)");
    private static final Pattern BIRTHDATE = Pattern.compile("^(\\d{4})(\\d{2})(\\d{2})$|^(\\d{4})-(\\d{2})-(\\d{2})$");

    @Override
    public VerifiedFacts map(Map<String, Object> values, LocalDate today) {
        Claims claims = new Claims(values);
        String name = claims.requiredName("name", 100);
        PostalAddress address = address(addressText(claims));
        LocalDate birthDate = birthDate(claims.requiredText("birthdate"), today);
        gender(claims);
        return new VerifiedFacts(claims.subject(), name, Optional.empty(), Optional.empty(), address, birthDate,
                claims.email(), claims.phone());
    }

    /** The address as one string, or an OpenID address object's {@code formatted}. */
    private static String addressText(Claims claims) {
        try {
            return claims.requiredText("address");
        } catch (IdentityFailure notText) {
            return claims.object("address").flatMap(a -> a.text("formatted")).orElseThrow(() -> notText);
        }
    }

    /**
     * @param text an address as one string, NFKC-normalised, e.g. 千葉県松戸市根本387番地の5
     * @return its prefecture, city part and the rest
     * @throws IdentityFailure naming {@code address} when no prefecture or municipality can be read
     */
    static PostalAddress address(String text) {
        String compact = text.strip().replaceAll("[\\s\u3000]+", "");
        String prefecture = PREFECTURES.stream().filter(compact::startsWith).findFirst()
                .orElseThrow(() -> unreadable("The address does not start with a prefecture.",
                        "住所が都道府県名から始まっていません。"));
        String after = compact.substring(prefecture.length());
        String city = city(prefecture, after).orElseThrow(() -> unreadable(
                "The address does not name a city, ward, town or village.", "住所から市区町村を読み取れません。"));
        String rest = after.substring(city.length());
        return new PostalAddress(Claims.limited("address", prefecture, 10), Claims.limited("address", city, 50),
                Claims.limited("address", rest, 300));
    }

    private static Optional<String> city(String prefecture, String after) {
        if (prefecture.equals("東京都")) {
            Optional<String> ward = SPECIAL_WARDS.stream().filter(after::startsWith).findFirst();
            if (ward.isPresent()) {
                return ward;
            }
        }
        Optional<String> designated = DESIGNATED_CITIES.stream().filter(after::startsWith).findFirst();
        if (designated.isPresent()) {
            Matcher ward = WARD.matcher(after.substring(designated.get().length()));
            // A designated city's ward is kept with it (横浜市中区); an address without one is the city alone.
            return Optional.of(ward.find() ? designated.get() + ward.group(1) : designated.get());
        }
        Optional<String> tricky = TRICKY_NAMES.stream().filter(after::startsWith).findFirst();
        if (tricky.isPresent()) {
            return tricky;
        }
        Optional<String> county = TRICKY_COUNTIES.stream().filter(after::startsWith).findFirst();
        if (county.isEmpty()) {
            Matcher plain = COUNTY.matcher(after);
            county = plain.find() ? Optional.of(plain.group(1)) : Optional.empty();
        }
        if (county.isPresent()) {
            String inCounty = after.substring(county.get().length());
            Optional<String> town = TRICKY_NAMES.stream().filter(inCounty::startsWith).findFirst();
            if (town.isEmpty()) {
                Matcher plain = TOWN.matcher(inCounty);
                town = plain.find() && plain.group(1).length() <= 6 ? Optional.of(plain.group(1)) : Optional.empty();
            }
            if (town.isPresent()) {
                return Optional.of(county.get() + town.get());
            }
        }
        Matcher plain = CITY_TOWN_VILLAGE.matcher(after);
        return plain.find() && plain.group(1).length() <= 7 ? Optional.of(plain.group(1)) : Optional.empty();
    }

    /**
     * @param text  a birth date as {@code YYYYMMDD} or {@code YYYY-MM-DD}
     * @param today today in the municipality
     * @return the date, real, complete and in range
     */
    static LocalDate birthDate(String text, LocalDate today) {
        Matcher date = BIRTHDATE.matcher(text);
        if (!date.matches()) {
            throw IdentityFailure.claims("birthdate", "The birth date is not a date (YYYYMMDD or YYYY-MM-DD).",
                    "生年月日が日付の形式ではありません。");
        }
        int first = date.group(1) != null ? 1 : 4;
        if ("0000".equals(date.group(first))) {
            throw IdentityFailure.claims("birthdate", "The birth date is not a complete date.",
                    "生年月日が年・月・日のそろった日付ではありません。");
        }
        return Claims.date("birthdate", Integer.parseInt(date.group(first)), Integer.parseInt(date.group(first + 1)),
                Integer.parseInt(date.group(first + 2)), today);
    }

    /**
     * @param claims the claims
     * @return the gender code as sent ({@code 1} male, {@code 2} female, {@code 9} not applicable, …), when sent
     * @throws IdentityFailure naming {@code gender} when it is not a one-digit code
     */
    static Optional<String> gender(Claims claims) {
        Optional<String> gender = claims.text("gender");
        if (gender.isPresent() && !gender.get().matches("[0-9]")) {
            throw IdentityFailure.claims("gender", "Gender is not a one-digit code.", "性別の値が正しくありません。");
        }
        return gender;
    }

    private static IdentityFailure unreadable(String english, String japanese) {
        return IdentityFailure.claims("address", english, japanese);
    }
}
