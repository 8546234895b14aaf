package jp.kominkan.cloud.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.fee.EquipmentCatalog;
import jp.kominkan.cloud.fee.FeeRequest;
import jp.kominkan.cloud.fee.RoomFees;

/**
 * The demo's fees as an ordinance writes them: the hall's big meeting room priced by band, day type,
 * residency, purpose and season (resources/demo/fee-ookaigishitsu.json, modelled on 鉾田市 and ときがわ町),
 * the hall's equipment with a stock, and a refund schedule like 美馬市's; the other rooms keep their
 * hourly prices.
 */
final class DemoFees {

    /** 美馬市's rule (docs/fees.md): 50 % / 30 % up to 3 days before, by cause; 100 % for the city or force majeure. */
    static final String REFUNDS = """
            {"source": "山吹市公民館使用料の還付に関する規則（架空。美馬市の規則第3条にならう）",
             "rules": {"FORCE_MAJEURE": [{"percent": 100}], "CITY": [{"percent": 100}],
                       "USER_WITH_CAUSE": [{"min-days-before": 3, "percent": 50}],
                       "USER": [{"min-days-before": 3, "percent": 30}]},
             "rounding": {"mode": "down", "unit": 10}}""";

    private DemoFees() {
    }

    static void seed(DbTransaction tx, long municipality, long hall, long bigRoom, Instant now) {
        RoomFees.save(tx, municipality, bigRoom, resource("/demo/fee-ookaigishitsu.json"), null, now);
        RoomFees.savePayDays(tx, bigRoom, 3);
        EquipmentCatalog.save(tx, municipality, hall, "projector", "プロジェクター", 500, FeeRequest.Per.USE, 2);
        EquipmentCatalog.save(tx, municipality, hall, "microphone", "ワイヤレスマイク", 200, FeeRequest.Per.BAND, 4);
        EquipmentCatalog.save(tx, municipality, hall, "piano", "ピアノ", 1000, FeeRequest.Per.USE, 1);
        jp.kominkan.cloud.fee.RefundSchedules.parse(REFUNDS); // checked before it is stored
        tx.update("update facility set refund_schedule = ? where id = ?", REFUNDS, hall);
    }

    private static String resource(String name) {
        try (InputStream in = DemoFees.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing demo resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
