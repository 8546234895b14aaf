package jp.kominkan.cloud.fee;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.web.Problem;

/**
 * A facility's equipment list (附属設備) and its stock: the only writer of {@code equipment} and
 * {@code equipment_unit}. The stock is kept as one unit row per piece, so the database bounds what
 * bookings can take (booking/EquipmentSlots); a stock cannot fall below what is booked.
 */
public final class EquipmentCatalog {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final String COLUMNS = "id, facility_id, code, name, yen, per_unit, stock";
    private static final String OF_FACILITY = "select " + COLUMNS + " from equipment where municipality_id = ?"
            + " and facility_id = ? order by code";
    private static final String ONE = "select " + COLUMNS + " from equipment where facility_id = ? and code = ?";

    private final DbClient db;

    /**
     * @param db the database
     */
    public EquipmentCatalog(DbClient db) {
        this.db = db;
    }

    /**
     * @param municipalityId owner
     * @param facilityId     the facility
     * @return its equipment
     */
    public List<Equipment> of(long municipalityId, long facilityId) {
        return Sql.list(db.execute().query(OF_FACILITY, municipalityId, facilityId), EquipmentCatalog::map);
    }

    /**
     * @param facilityId the facility
     * @param code       the code
     * @return the piece of equipment
     */
    public Optional<Equipment> find(long facilityId, String code) {
        return db.execute().get(ONE, facilityId, code).map(EquipmentCatalog::map);
    }

    /**
     * Adds equipment or changes its name, price or stock.
     *
     * @param tx             the staff change's transaction
     * @param municipalityId owner
     * @param facilityId     the facility
     * @param code           its code
     * @param name           its name
     * @param yen            its price
     * @param per            per use or per band
     * @param stock          how many there are
     * @return it now
     */
    public static Equipment save(DbTransaction tx, long municipalityId, long facilityId, String code, String name,
                                 long yen, FeeRequest.Per per, int stock) {
        String c = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        if (!CODE.matcher(c).matches()) {
            throw Problem.badField("code", "Use lower-case letters, digits and hyphens (up to 40), e.g. projector.",
                    "コードは英小文字・数字・ハイフン（40 文字まで）で入力してください（例: projector）。");
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 200 || n.chars().anyMatch(ch -> Character.isISOControl(ch))) {
            throw Problem.badField("name", "Give the equipment's name (up to 200 characters).",
                    "設備名を入力してください（200 文字まで）。");
        }
        if (yen < 0 || yen > FeeSchedule.MAX_YEN) {
            throw Problem.badField("yen", "The price is whole yen from 0.", "料金は 0 円以上の整数で入力してください。");
        }
        if (stock < 0 || stock > 1000) {
            throw Problem.badField("stock", "The stock is 0 to 1000.", "数量は 0〜1000 で入力してください。");
        }
        Optional<DbRow> existing = tx.get(ONE, facilityId, c);
        long id;
        if (existing.isEmpty()) {
            tx.insert("insert into equipment (municipality_id, facility_id, code, name, yen, per_unit, stock)"
                    + " values (?, ?, ?, ?, ?, ?, ?)", municipalityId, facilityId, c, n, yen,
                    per.name().toLowerCase(Locale.ROOT), stock);
            id = Sql.longValue(tx.get(ONE, facilityId, c).orElseThrow(), "id");
        } else {
            id = Sql.longValue(existing.get(), "id");
            tx.update("update equipment set name = ?, yen = ?, per_unit = ?, stock = ? where id = ?", n, yen,
                    per.name().toLowerCase(Locale.ROOT), stock, id);
        }
        int units = Math.toIntExact(Sql.longValue(tx.get(
                "select count(*) as n from equipment_unit where equipment_id = ?", id).orElseThrow(), "n"));
        for (int unit = units + 1; unit <= stock; unit++) {
            tx.insert("insert into equipment_unit (equipment_id, unit_no) values (?, ?)", id, unit);
        }
        if (stock < units) {
            try {
                tx.delete("delete from equipment_unit where equipment_id = ? and unit_no > ?", id, stock);
            } catch (RuntimeException e) {
                if (SqlFailure.of(e) == SqlFailure.OTHER) {
                    throw Problem.conflict("equipment-in-use",
                            "Some of these pieces are booked; cancel or move those bookings before lowering the stock.",
                            "予約で使われているため、数量を減らせません。該当の予約を先に変更してください。");
                }
                throw e;
            }
        }
        return map(tx.get(ONE, facilityId, c).orElseThrow());
    }

    private static Equipment map(DbRow row) {
        return new Equipment(Sql.longValue(row, "id"), Sql.longValue(row, "facility_id"), Sql.text(row, "code"),
                Sql.text(row, "name"), Sql.longValue(row, "yen"),
                FeeRequest.Per.valueOf(Sql.text(row, "per_unit").toUpperCase(Locale.ROOT)), Sql.integer(row, "stock"));
    }
}
