package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** 氏名 as two providers may write the same person's name, and names that must stay apart. */
class PersonNameTest {

    @Test
    void spacesOfAnyWidthAndMiddleDotsDoNotCount() {
        assertThat(PersonName.normalise("山吹 太郎")).isEqualTo("山吹太郎");
        assertThat(PersonName.normalise("山吹　太郎")).isEqualTo("山吹太郎");
        assertThat(PersonName.normalise(" 山吹太郎 ")).isEqualTo("山吹太郎");
        assertThat(PersonName.normalise("スミス・ジョン")).isEqualTo(PersonName.normalise("スミス ジョン"));
    }

    @Test
    void widthAndCompatibilityFormsFoldToOne() {
        assertThat(PersonName.normalise("ＳＭＩＴＨ　ＪＯＨＮ")).isEqualTo("SMITHJOHN");
        assertThat(PersonName.normalise("ｽﾐｽ ｼﾞｮﾝ")).isEqualTo(PersonName.normalise("スミス ジョン"));
        // U+FA11 (﨑, a CJK compatibility ideograph) and the variant 髙.
        assertThat(PersonName.normalise("髙橋 美咲")).isEqualTo(PersonName.normalise("高橋 美咲"));
        assertThat(PersonName.normalise("山﨑 一")).isEqualTo(PersonName.normalise("山崎 一"));
        assertThat(PersonName.normalise("渡邊 健")).isEqualTo(PersonName.normalise("渡辺 健"));
        assertThat(PersonName.normalise("齋藤 花")).isEqualTo(PersonName.normalise("斎藤 花"));
    }

    @Test
    void differentNamesStayDifferent() {
        assertThat(PersonName.normalise("山吹 太郎")).isNotEqualTo(PersonName.normalise("山吹 次郎"));
        assertThat(PersonName.normalise("高橋 美咲")).isNotEqualTo(PersonName.normalise("高橋 美佐"));
        assertThat(PersonName.normalise("さとう ゆき")).isNotEqualTo(PersonName.normalise("サトウ ユキ"));
    }
}
