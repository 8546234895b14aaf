package jp.kominkan.cloud.identity;

import java.text.Normalizer;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.kominkan.cloud.account.Account;

/**
 * Decides resident (市内) or non-resident (市外) from a verified address's prefecture and city,
 * compared with the municipality's own, the way a person at the counter would read them:
 * <ul>
 *   <li>full- and half-width forms are the same (NFKC: "ﾖｺﾊﾏ" = "ヨコハマ", "１" = "1");</li>
 *   <li>spaces, including the ideographic space, do not count;</li>
 *   <li>the small ヶ and the large ケ in place names are the same (袖ケ浦市 = 袖ヶ浦市; ｹ becomes ケ by NFKC);</li>
 *   <li>a ward of a designated city (政令指定都市) is that city (横浜市中区 → 横浜市), while Tokyo's
 *       special wards (特別区) are municipalities of their own (千代田区);</li>
 *   <li>a county (郡) before a town or village is dropped (北佐久郡軽井沢町 → 軽井沢町).</li>
 * </ul>
 * Missing or unreadable parts give {@code unknown}, which prices as non-resident.
 */
public final class ResidencyJudge {

    private static final Pattern DESIGNATED_CITY_WARD = Pattern.compile("^(.+?市).+区$");
    private static final Pattern COUNTY = Pattern.compile("^.+?郡(.+[町村])$");

    private ResidencyJudge() {
    }

    /**
     * @param verifiedPrefecture the verified address's prefecture, e.g. 神奈川県
     * @param verifiedCity       its city part, e.g. 横浜市中区
     * @param homePrefecture     the municipality's prefecture
     * @param homeCity           the municipality's name as a city part, e.g. 横浜市
     * @return resident, non-resident, or unknown when the verified parts are missing
     */
    public static Account.Residency judge(String verifiedPrefecture, String verifiedCity, String homePrefecture,
                                          String homeCity) {
        Objects.requireNonNull(homePrefecture, "homePrefecture");
        Objects.requireNonNull(homeCity, "homeCity");
        String prefecture = normalise(verifiedPrefecture);
        String city = normalise(verifiedCity);
        if (prefecture.isEmpty() || city.isEmpty()) {
            return Account.Residency.UNKNOWN;
        }
        boolean same = prefecture.equals(normalise(homePrefecture))
                && municipalityOf(prefecture, city).equals(municipalityOf(prefecture, normalise(homeCity)));
        return same ? Account.Residency.RESIDENT : Account.Residency.NON_RESIDENT;
    }

    /**
     * @param text a place name as written
     * @return the same name in one canonical form
     */
    static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        for (int i = 0; i < nfkc.length(); i++) {
            char c = nfkc.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            // 袖ヶ浦 / 袖ケ浦: the small ヶ (and the rarer ヵ) stand for the large ケ in place names.
            out.append(c == '\u30F6' || c == '\u30F5' ? 'ケ' : c);
        }
        return out.toString();
    }

    /** The municipality a normalised city part names. */
    static String municipalityOf(String prefecture, String city) {
        if (!prefecture.equals("東京都")) {
            Matcher ward = DESIGNATED_CITY_WARD.matcher(city);
            if (ward.matches()) {
                return ward.group(1);
            }
        }
        Matcher county = COUNTY.matcher(city);
        return county.matches() ? county.group(1) : city;
    }
}
