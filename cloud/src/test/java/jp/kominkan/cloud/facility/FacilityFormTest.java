package jp.kominkan.cloud.facility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import jp.kominkan.cloud.web.Problem;
import org.junit.jupiter.api.Test;

/** What staff type for a facility or room: names of things refuse NUL, controls and bidi overrides like people's. */
class FacilityFormTest {

    static Map<String, String> facility() {
        Map<String, String> fields = new HashMap<>();
        fields.put("name", "中央公民館");
        fields.put("kana", "ちゅうおうこうみんかん");
        fields.put("address", "山吹市中央1-1");
        fields.put("type", "community-center");
        fields.put("description", "2階建て。\r\n1階に和室があります。");
        fields.put("equipment", "プロジェクター\nホワイトボード");
        return fields;
    }

    @Test
    void aWellFormedFacilityWithLineBreaksInItsDescriptionIsTaken() {
        FacilityForm.FacilityDraft draft = FacilityForm.facility(facility());
        assertThat(draft.description()).contains("\n");
        assertThat(draft.equipment()).containsExactly("プロジェクター", "ホワイトボード");
    }

    @Test
    void controlAndBidiCharactersAreRefusedFieldByField() {
        String[][] cases = {{"name", "中央\u202E館"}, {"name", "中央\u0000館"}, {"address", "山吹市\n中央"},
                {"description", "説明\u0007"}, {"usageRules", "\u2066規則"}, {"equipment", "マイク\u200E\nいす"}};
        for (String[] attack : cases) {
            Map<String, String> fields = facility();
            fields.put(attack[0], attack[1]);
            assertThatThrownBy(() -> FacilityForm.facility(fields)).as(attack[0]).isInstanceOfSatisfying(Problem.class,
                    p -> assertThat(p.field()).contains(attack[0]));
        }
        Map<String, String> room = new HashMap<>(Map.of("name", "和室\u202E", "capacity", "10", "horizonDays", "30",
                "priceResident", "500", "priceNonResident", "1000"));
        assertThatThrownBy(() -> FacilityForm.room(room)).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.field()).contains("name"));
    }
}
