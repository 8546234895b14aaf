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
        assertThat(Topic.keypad("door-12").name()).isEqualTo("kominkan/v1/site/door-12/keypad");
    }

    @Test
    void parsingGivesBackWhatWasBuilt() {
        for (Topic topic : new Topic[] {Topic.grants("a"), Topic.ack("b.c"), Topic.events("d_e"), Topic.keypad("F-1")}) {
            assertThat(Topic.parse(topic.name())).contains(topic);
        }
    }

    @Test
    void foreignOrUnsafeTopicsAreNotOurs() {
        assertThat(Topic.parse("kominkan/v1/gw/+/grants")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/gw/a/b/grants")).isEmpty();
        assertThat(Topic.parse("kominkan/v1/site/door/grants")).isEmpty();
        assertThat(Topic.parse("kominkan/v2/gw/a/grants")).isEmpty();
        assertThat(Topic.parse(null)).isEmpty();
        assertThatThrownBy(() -> Topic.grants("#")).hasMessageContaining("topic id");
        assertThatThrownBy(() -> Topic.keypad("a/b")).hasMessageContaining("topic id");
        assertThatThrownBy(() -> Topic.keypad("x".repeat(65))).hasMessageContaining("topic id");
    }
}
