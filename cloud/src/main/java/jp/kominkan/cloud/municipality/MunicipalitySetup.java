package jp.kominkan.cloud.municipality;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.operations.OperationLog;

/**
 * Creates a municipality (day one for a city): its local government code, names, prefecture, city
 * and the host names that serve it. Idempotent: asking again for the same municipality changes
 * nothing and says so; asking with different details is refused, since those are changed by staff.
 */
public final class MunicipalitySetup {

    /** The 47 prefectures, as written in addresses. */
    public static final List<String> PREFECTURES = List.of("北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",
            "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県",
            "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
            "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
            "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県");
    private static final String ZONE = "Asia/Tokyo";

    private final DbClient db;

    /**
     * @param db the database
     */
    public MunicipalitySetup(DbClient db) {
        this.db = db;
    }

    /**
     * What to create.
     *
     * @param code       全国地方公共団体コード, six digits with its check digit
     * @param name       e.g. 鉾田市
     * @param kana       e.g. ほこたし
     * @param prefecture e.g. 茨城県
     * @param city       the city part of an address, e.g. 鉾田市
     * @param hosts      host names, e.g. yoyaku.city.hokota.lg.jp
     */
    public record Details(String code, String name, String kana, String prefecture, String city, List<String> hosts) {
    }

    /**
     * @param details what to create
     * @param checkDigit whether to check the code's check digit (the demo's fictional codes have none)
     * @return what was done
     * @throws SetupRefused naming the field, when a detail is wrong or the municipality exists with others
     */
    public Outcome create(Details details, boolean checkDigit) {
        Details clean = validate(details, checkDigit);
        DbTransaction tx = db.transaction();
        try {
            Optional<DbRow> existing = tx.get("select id, name, name_kana, prefecture, city from municipality where code = ?",
                    clean.code());
            long id;
            boolean created;
            if (existing.isPresent()) {
                DbRow row = existing.get();
                for (String[] field : new String[][] {{"name", clean.name()}, {"name_kana", clean.kana()},
                        {"prefecture", clean.prefecture()}, {"city", clean.city()}}) {
                    if (!Sql.text(row, field[0]).equals(field[1])) {
                        throw new SetupRefused(field[0].equals("name_kana") ? "kana" : field[0], "Municipality "
                                + clean.code() + " exists already with " + field[0] + " '" + Sql.text(row, field[0])
                                + "'; nothing was changed.");
                    }
                }
                id = Sql.longValue(row, "id");
                created = false;
            } else {
                id = insert(tx, clean.code(), clean.name(), clean.kana(), clean.prefecture(), clean.city());
                created = true;
            }
            List<String> added = new ArrayList<>();
            for (String host : clean.hosts()) {
                Optional<DbRow> owner = tx.get("select municipality_id from municipality_host where host = ?", host);
                if (owner.isPresent()) {
                    if (Sql.longValue(owner.get(), "municipality_id") != id) {
                        throw new SetupRefused("host", "The host " + host
                                + " already serves another municipality; nothing was changed.");
                    }
                } else {
                    tx.insert("insert into municipality_host (host, municipality_id) values (?, ?)", host, id);
                    added.add(host);
                }
            }
            tx.commit();
            return new Outcome(id, created, added);
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * Inserts a municipality and starts its operation log, in the caller's transaction.
     *
     * @param tx         the transaction
     * @param code       code
     * @param name       name
     * @param kana       reading
     * @param prefecture prefecture
     * @param city       city part
     * @return its id
     */
    public static long insert(DbTransaction tx, String code, String name, String kana, String prefecture, String city) {
        tx.insert("insert into municipality (code, name, name_kana, prefecture, city, zone_id) values (?, ?, ?, ?, ?, ?)",
                code, name, kana, prefecture, city, ZONE);
        long id = Sql.longValue(tx.get("select id from municipality where code = ?", code).orElseThrow(), "id");
        OperationLog.startChain(tx, id);
        return id;
    }

    private static Details validate(Details d, boolean checkDigit) {
        String code = text(d.code(), "code");
        if (!code.matches("\\d{6}")) {
            throw new SetupRefused("code", "The local government code is six digits, e.g. 082341 (鉾田市).");
        }
        if (checkDigit && code.charAt(5) - '0' != checkDigit(code)) {
            throw new SetupRefused("code", "The check digit of " + code + " should be " + checkDigit(code)
                    + "; look the code up in 総務省's 全国地方公共団体コード list.");
        }
        String name = text(d.name(), "name");
        String kana = text(d.kana(), "kana");
        if (!kana.matches("[\\p{InHiragana}\\p{InKatakana}ー・ 　]+")) {
            throw new SetupRefused("kana", "The reading must be in kana, e.g. ほこたし.");
        }
        String prefecture = text(d.prefecture(), "prefecture");
        if (!PREFECTURES.contains(prefecture)) {
            throw new SetupRefused("prefecture", "The prefecture must be written as in an address, e.g. 茨城県, 東京都, 北海道.");
        }
        String city = text(d.city(), "city");
        List<String> hosts = new ArrayList<>();
        for (String host : d.hosts()) {
            String h = host.strip().toLowerCase(Locale.ROOT);
            if (h.length() > 253 || !h.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
                throw new SetupRefused("host", "'" + host + "' is not a host name such as yoyaku.city.hokota.lg.jp.");
            }
            hosts.add(h);
        }
        return new Details(code, name, kana, prefecture, city, List.copyOf(hosts));
    }

    /**
     * @param code six digits
     * @return the check digit the first five digits call for (総務省's method: weights 6..2, modulus 11)
     */
    public static int checkDigit(String code) {
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (code.charAt(i) - '0') * (6 - i);
        }
        return (11 - sum % 11) % 10;
    }

    private static String text(String value, String field) {
        String v = value == null ? "" : Normalizer.normalize(value, Normalizer.Form.NFKC).strip();
        if (v.isEmpty() || v.length() > 100) {
            throw new SetupRefused(field, "Give --" + field + " (1 to 100 characters).");
        }
        return field.equals("kana") || field.equals("name") || field.equals("city") ? value.strip() : v;
    }

    /**
     * What {@link #create} did.
     *
     * @param id         the municipality's id
     * @param created    whether it was created now
     * @param hostsAdded host names added now
     */
    public record Outcome(long id, boolean created, List<String> hostsAdded) {
    }

    /** A detail is wrong; nothing was written. */
    public static final class SetupRefused extends RuntimeException {
        private final String field;

        /**
         * @param field   the detail
         * @param message what to do
         */
        public SetupRefused(String field, String message) {
            super(message);
            this.field = field;
        }

        /** @return the detail that is wrong */
        public String field() {
            return field;
        }
    }
}
