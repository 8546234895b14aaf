package jp.kominkan.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WiegandDecoderTest {

    /** Builds a 26- or 34-bit frame: even parity, data, odd parity. */
    static long frame(long data, int length) {
        int dataBits = length - 2;
        int half = dataBits / 2;
        long firstHalf = data >>> half;
        long secondHalf = data & ((1L << half) - 1);
        long even = Long.bitCount(firstHalf) % 2;          // makes the first half's count even
        long odd = (Long.bitCount(secondHalf) + 1) % 2;      // makes the second half's count odd
        return (even << (length - 1)) | (data << 1) | odd;
    }

    @Test
    void burstsAreKeys() {
        assertThat(WiegandDecoder.decode(7, 4)).contains(new WiegandDecoder.Input.Digit('7'));
        assertThat(WiegandDecoder.decode(10, 4)).contains(new WiegandDecoder.Input.Clear());
        assertThat(WiegandDecoder.decode(11, 4)).contains(new WiegandDecoder.Input.Enter());
        assertThat(WiegandDecoder.decode(0x3C, 8)).contains(new WiegandDecoder.Input.Digit('3'));
        assertThat(WiegandDecoder.decode(0x33, 8)).isEmpty();   // complement does not match
        assertThat(WiegandDecoder.decode(13, 4)).isEmpty();
    }

    @Test
    void framesWithGoodParityAreWholeCodes() {
        assertThat(WiegandDecoder.decode(frame(48_213_705L, 34), 34)).contains(new WiegandDecoder.Input.Code("48213705"));
        assertThat(WiegandDecoder.decode(frame(1_234_567L, 26), 26)).contains(new WiegandDecoder.Input.Code("01234567"));
        assertThat(WiegandDecoder.decode(frame(48_213_705L, 34) ^ 1, 34)).isEmpty();            // odd parity broken
        assertThat(WiegandDecoder.decode(frame(48_213_705L, 34) ^ (1L << 33), 34)).isEmpty();    // even parity broken
        assertThat(WiegandDecoder.decode(frame(200_000_000L, 34), 34)).isEmpty();                // not 8 digits
        assertThat(WiegandDecoder.decode(0, 37)).isEmpty();
    }
}
