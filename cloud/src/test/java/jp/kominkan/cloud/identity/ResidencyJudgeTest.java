package jp.kominkan.cloud.identity;

import static jp.kominkan.cloud.account.Account.Residency.NON_RESIDENT;
import static jp.kominkan.cloud.account.Account.Residency.RESIDENT;
import static jp.kominkan.cloud.account.Account.Residency.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResidencyJudgeTest {

    @Test
    void theSameCityIsResidentHoweverItIsWritten() {
        assertThat(ResidencyJudge.judge("山梨県", "韮崎市", "山梨県", "韮崎市")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("山梨県 ", "韮崎市　", "山梨県", "韮崎市")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("千葉県", "袖ヶ浦市", "千葉県", "袖ケ浦市")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("埼玉県", "鶴ケ島市", "埼玉県", "鶴ヶ島市")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("ｲﾊﾞﾗｷ県", "ﾐﾄ市", "イバラキ県", "ミト市")).isEqualTo(RESIDENT);
    }

    @Test
    void aWardOfADesignatedCityIsThatCity() {
        assertThat(ResidencyJudge.judge("神奈川県", "横浜市中区", "神奈川県", "横浜市")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("神奈川県", "川崎市中原区", "神奈川県", "横浜市")).isEqualTo(NON_RESIDENT);
        assertThat(ResidencyJudge.judge("大阪府", "大阪市北区", "大阪府", "大阪市")).isEqualTo(RESIDENT);
    }

    @Test
    void tokyosSpecialWardsAreMunicipalitiesOfTheirOwn() {
        assertThat(ResidencyJudge.judge("東京都", "千代田区", "東京都", "千代田区")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("東京都", "港区", "東京都", "千代田区")).isEqualTo(NON_RESIDENT);
        assertThat(ResidencyJudge.judge("東京都", "八王子市", "東京都", "八王子市")).isEqualTo(RESIDENT);
    }

    @Test
    void countiesBeforeTownsAndVillagesDoNotCount() {
        assertThat(ResidencyJudge.judge("長野県", "北佐久郡軽井沢町", "長野県", "軽井沢町")).isEqualTo(RESIDENT);
        assertThat(ResidencyJudge.judge("長野県", "北佐久郡御代田町", "長野県", "軽井沢町")).isEqualTo(NON_RESIDENT);
    }

    @Test
    void anotherPrefectureOrMissingPartsAreNotResident() {
        assertThat(ResidencyJudge.judge("北海道", "伊達市", "福島県", "伊達市")).isEqualTo(NON_RESIDENT);
        assertThat(ResidencyJudge.judge(null, "韮崎市", "山梨県", "韮崎市")).isEqualTo(UNKNOWN);
        assertThat(ResidencyJudge.judge("山梨県", "  ", "山梨県", "韮崎市")).isEqualTo(UNKNOWN);
    }
}
