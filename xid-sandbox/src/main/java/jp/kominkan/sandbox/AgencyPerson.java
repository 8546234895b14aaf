package jp.kominkan.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A demo person in the Agency sandbox, with the 基本4情報 as the Agency's userinfo sends them: plain strings, the
 * address in one piece, the birth date as {@code YYYYMMDD}, gender as a code ({@code 1} male, {@code 2} female).
 * These shapes follow a third party's mock of the Agency's answers (docs/identity.md, "デジタル認証アプリ").
 *
 * @param id        the sandbox's own id for the person (never sent; the subject is pairwise)
 * @param name      氏名, family name first, one space
 * @param address   住所 as one string
 * @param birthdate 生年月日, {@code YYYYMMDD}
 * @param gender    性別 code
 */
public record AgencyPerson(String id, String name, String address, String birthdate, String gender) {

    /** A 個人番号 that passes the check digit, sent only when a test asks the sandbox to misbehave. */
    public static final String DEMO_MY_NUMBER = "123456789018";

    /** The demo people: one in 山吹市, one in a designated city's ward, one in a county's town. */
    public static final List<AgencyPerson> DEMO = List.of(
            new AgencyPerson("p1", "山吹 太郎", "山梨県山吹市中央1-2-3", "19800115", "1"),
            new AgencyPerson("p2", "横浜 花子", "神奈川県横浜市中区日本大通1", "19921103", "2"),
            new AgencyPerson("p3", "瑞穂 一郎", "東京都西多摩郡瑞穂町大字箱根ケ崎2335", "19550704", "1"));

    /** @return the claims by scope name, each a string */
    public Map<String, String> claims() {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("name", name);
        claims.put("address", address);
        claims.put("birthdate", birthdate);
        claims.put("gender", gender);
        return claims;
    }
}
