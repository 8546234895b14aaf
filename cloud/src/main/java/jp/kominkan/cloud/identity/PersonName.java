package jp.kominkan.cloud.identity;

import java.text.Normalizer;
import java.util.Map;

/**
 * A verified 氏名 made comparable across providers: xID sends 姓 and 名 apart, the デジタル認証アプリ one string,
 * and either may write a name with full-width letters, spaces of any width or an old form of a kanji (髙, 﨑).
 * Two names that normalise alike are only a reason for staff to look (see {@link SamePersonCheck}), never a
 * decision, so the folding leans to finding a match.
 */
public final class PersonName {

    /** Old and variant forms (異体字) common in names, folded to the form in everyday use. */
    private static final Map<Integer, Integer> VARIANTS = variants(
            "髙高", "﨑崎", "嵜崎", "邊辺", "邉辺", "齋斎", "齊斎", "濱浜", "濵浜", "澤沢", "廣広", "國国", "櫻桜",
            "瀨瀬", "德徳", "惠恵", "眞真", "藏蔵", "冨富", "槇槙", "峯峰", "嶋島", "埜野");

    private PersonName() {
    }

    /**
     * @param name a name as a provider gave it
     * @return the name in NFKC, without spaces or middle dots, with variant kanji folded
     */
    public static String normalise(String name) {
        String nfkc = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        nfkc.codePoints()
                .filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != '・' && c != '･')
                .map(c -> VARIANTS.getOrDefault(c, c))
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static Map<Integer, Integer> variants(String... pairs) {
        Map<Integer, Integer> map = new java.util.HashMap<>();
        for (String pair : pairs) {
            int[] cps = pair.codePoints().toArray();
            map.put(cps[0], cps[1]);
        }
        return Map.copyOf(map);
    }
}
