package jp.kominkan.gateway.device;

import java.util.Optional;

/**
 * Turns one Wiegand frame (the bits between two pauses on DATA0/DATA1) into keypad input.
 *
 * <ul>
 *   <li>4-bit burst: one key — 0–9, 10 = '*', 11 = '#'.</li>
 *   <li>8-bit burst: one key as a nibble and its complement (checked).</li>
 *   <li>26-bit (H10301) and 34-bit frames: even parity over the first half, odd parity over the
 *       second (checked); the 24 or 32 data bits are a whole code typed and sent at once. Only a
 *       34-bit frame can carry every 8-digit code; keypads should be set to W34 or burst mode.</li>
 * </ul>
 * Anything else — other lengths, failed parity — is rejected, and counted by the caller.
 */
public final class WiegandDecoder {

    private WiegandDecoder() {
    }

    /**
     * @param bits   the frame, first bit in the highest position used
     * @param length number of bits
     * @return what it means, if it is valid
     */
    public static Optional<Input> decode(long bits, int length) {
        return switch (length) {
            case 4 -> key((int) bits & 0xF);
            case 8 -> {
                int high = (int) (bits >> 4) & 0xF;
                int low = (int) bits & 0xF;
                yield (high ^ 0xF) == low ? key(high) : Optional.empty();
            }
            case 26, 34 -> {
                int half = length / 2;
                long firstHalf = bits >>> half;         // leading parity bit + first data half
                long secondHalf = bits & ((1L << half) - 1);   // second data half + trailing parity bit
                boolean even = Long.bitCount(firstHalf) % 2 == 0;
                boolean odd = Long.bitCount(secondHalf) % 2 == 1;
                if (!even || !odd) {
                    yield Optional.empty();
                }
                long data = (bits >>> 1) & ((1L << (length - 2)) - 1);
                yield data < 100_000_000L ? Optional.of(new Input.Code("%08d".formatted(data))) : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private static Optional<Input> key(int value) {
        return switch (value) {
            case 10 -> Optional.of(new Input.Clear());
            case 11 -> Optional.of(new Input.Enter());
            default -> value <= 9 ? Optional.of(new Input.Digit((char) ('0' + value))) : Optional.empty();
        };
    }

    /** What a frame means. */
    public sealed interface Input {
        /**
         * One key.
         *
         * @param digit the digit
         */
        record Digit(char digit) implements Input {
        }

        /** '*': start again. */
        record Clear() implements Input {
        }

        /** '#': the code is complete. */
        record Enter() implements Input {
        }

        /**
         * A whole code in one frame.
         *
         * @param digits the code
         */
        record Code(String digits) implements Input {
        }
    }
}
