package jp.kominkan.shared.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.shared.topic.Topic;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * A caretaker's remote unlock, carried as the body of an {@link StreamEntry.Kind#UNLOCK} stream entry
 * (so it travels in a message the cloud signed for this gateway's topic, numbered and in order), as
 * deterministic CBOR:
 *
 * <pre>
 * UnlockOrder = [1, order: bstr16, door: tstr, issuedAt: uint (s), until: uint (s)]
 * </pre>
 *
 * A gateway obeys it once, when the entry is first applied, only for one of its own doors, and only
 * while its clock is before {@code issuedAt + }{@link #APPLY_WITHIN} and before {@code until}: an order
 * that reaches a gateway late (it was offline, or the entry is read back from its disk) never opens a
 * door. The door stays released until {@code until}, at most {@link #LONGEST} after {@code issuedAt}.
 *
 * @param orderId  the order (the cloud's remote_unlock id; events of the unlock name it)
 * @param doorId   the door
 * @param issuedAt when the cloud made it
 * @param until    when the door locks again
 */
public record UnlockOrder(UUID orderId, String doorId, Instant issuedAt, Instant until) {

    /** An order applied later than this after it was made is ignored. */
    public static final Duration APPLY_WITHIN = Duration.ofSeconds(60);
    /** Longest a remote unlock may keep a door released. */
    public static final Duration LONGEST = Duration.ofMinutes(60);

    /** Checks the fields. */
    public UnlockOrder {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(until, "until");
        if (!Topic.isId(doorId)) {
            throw new IllegalArgumentException("an unlock order names a door id");
        }
        issuedAt = Instant.ofEpochSecond(issuedAt.getEpochSecond());
        until = Instant.ofEpochSecond(until.getEpochSecond());
        if (!until.isAfter(issuedAt) || Duration.between(issuedAt, until).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("an unlock order lasts more than 0 s and at most " + LONGEST.toMinutes()
                    + " minutes");
        }
    }

    /**
     * @param now the gateway's clock
     * @return whether it is to be obeyed now (made at most {@link #APPLY_WITHIN} ago, not from the far future, not over)
     */
    public boolean obeyableAt(Instant now) {
        return now.isBefore(issuedAt.plus(APPLY_WITHIN)) && now.isAfter(issuedAt.minus(APPLY_WITHIN))
                && now.isBefore(until);
    }

    /** @return the order as deterministic CBOR */
    public byte[] encode() {
        return CBORObject.NewArray().Add(1).Add(UuidBytes.of(orderId)).Add(doorId)
                .Add(issuedAt.getEpochSecond()).Add(until.getEpochSecond())
                .EncodeToBytes(StreamMessage.Cbor.OPTIONS);
    }

    /**
     * @param bytes an entry's body
     * @return the order
     * @throws IllegalArgumentException saying what is wrong
     */
    public static UnlockOrder decode(byte[] bytes) {
        if (bytes.length > 256) {
            throw new IllegalArgumentException("an unlock order is at most 256 bytes");
        }
        try {
            CBORObject array = StreamMessage.Cbor.array(CBORObject.DecodeFromBytes(bytes, StreamMessage.Cbor.OPTIONS));
            if (array.size() != 5 || StreamMessage.Cbor.unsigned(array.get(0)) != 1) {
                throw new IllegalArgumentException("an unlock order is [1, order, door, issuedAt, until]");
            }
            if (array.get(2).getType() != CBORType.TextString) {
                throw new IllegalArgumentException("an unlock order's door is text");
            }
            return new UnlockOrder(UuidBytes.uuid(StreamMessage.Cbor.bytes(array.get(1))), array.get(2).AsString(),
                    Instant.ofEpochSecond(StreamMessage.Cbor.unsigned(array.get(3))),
                    Instant.ofEpochSecond(StreamMessage.Cbor.unsigned(array.get(4))));
        } catch (CBORException | IllegalStateException | NullPointerException | ArithmeticException e) {
            throw new IllegalArgumentException("not a valid unlock order: " + e.getMessage());
        }
    }
}
