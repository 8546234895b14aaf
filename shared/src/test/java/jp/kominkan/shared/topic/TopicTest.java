package jp.kominkan.shared.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicTest {

    @Test
    void namesFollowTheVocabulary() {
        assertThat(Topic.grants("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/grants");
        assertThat(Topic.ack("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/ack");
        assertThat(Topic.events("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/events");
        assertThat(Topic.receipts("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/receipts");
        assertThat(Topic.csr("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/csr");
        assertThat(Topic.certificate("gw-chuo").name()).isEqualTo("kominkan/v1/gw/gw-chuo/cert");
    }

    @Test
    void parsingGivesBackWhatWasBuilt() {
        for (Topic topic : new Topic[] {Topic.grants("a"), Topic.ack("b.c"), Topic.events("d_e"), Topic.receipts("F-1"),
                Topic.csr("g"), Topic.certificate("h")}) {
            assertThat(Topic.parse(topic.name())).contains(topic);
        }
    }

    @Test
    void deviceTopicsAreNotPartOfTheCloudsVocabulary() {
        // Devices talk to their gateway's site link, never to the cloud's broker (issue 11).
        assertThat(Topic.parse("kominkan/v1/site/door-12/keypad")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/site/door-12/lock")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/site/door-12/grants")).isEmpty();
        assertThat(Topic.parse("site/v1/door-12.keypad/up/keypad")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/gw/gw-chuo/keypad")).isEmpty();
    }

    @Test
    void foreignOrUnsafeTopicsAreNotOurs() {
        assertThat(Topic.parse("kominkan/v1/gw/+/grants")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/gw/a/b/grants")).isEmpty();
        assertThat(Topic.parse("kominkan/v2/gw/a/grants")).isEmpty();
        assertThat(Topic.parse(null)).isEmpty();
        assertThatThrownBy(() -> Topic.grants("#")).hasMessageContaining("topic id");
        assertThatThrownBy(() -> Topic.ack("a/b")).hasMessageContaining("topic id");
        assertThatThrownBy(() -> Topic.events("x".repeat(65))).hasMessageContaining("topic id");
        assertThat(Topic.isId("999991-door-study")).isTrue();
        assertThat(Topic.isId("a b")).isFalse();
    }
}
