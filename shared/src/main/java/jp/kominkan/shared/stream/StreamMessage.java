package jp.kominkan.shared.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

/**
 * What travels on {@code kominkan/v1/gw/{id}/grants} (cloud → gateway) and
 * {@code kominkan/v1/gw/{id}/ack} (gateway → cloud), as deterministic CBOR:
 *
 * <pre>
 * Entries  = {0: 1, 1: [[seq, kind, body], …]}      ; consecutive stream entries
 * Snapshot = {0: 2, 2: seq, 3: [grant, …], 7: at}   ; the live grants as of seq, made at (seconds since 1970):
 *                                                     ; replace everything
 * Ack      = {0: 3, 2: seq, 4: hello, ? 5: features} ; highest seq durably applied; hello: just connected or
 *                                                     ; missing entries, resend after seq (0: send a snapshot);
 *                                                     ; features: what the gateway understands (bit 0: unlock entries)
 * </pre>
 *
 * On the grants topic each message travels signed by the cloud ({@link CloudSignature}).
 * Decoding never throws on bad input past {@link #decode}'s {@link IllegalArgumentException}, whose
 * message says what is wrong, for the log line and the counter.
 */
public sealed interface StreamMessage {

    /** Largest message accepted: a snapshot of 10,000 grants is about 2.2 MB. */
    int MAX_BYTES = 8 * 1024 * 1024;

    /** @return the message as CBOR */
    byte[] encode();

    /**
     * @param bytes a message received
     * @return the message
     * @throws IllegalArgumentException saying what is wrong
     */
    static StreamMessage decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("message of " + bytes.length + " bytes is over " + MAX_BYTES);
        }
        try {
            CBORObject map = CBORObject.DecodeFromBytes(bytes, Cbor.OPTIONS);
            if (map.getType() != CBORType.Map || !map.ContainsKey(CBORObject.FromObject(0))) {
                throw new IllegalArgumentException("not a stream message");
            }
            return switch ((int) Math.min(Cbor.unsigned(map.get(0)), Integer.MAX_VALUE)) {
                case 1 -> {
                    CBORObject list = Cbor.array(map.get(1));
                    List<StreamEntry> entries = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        CBORObject e = Cbor.array(list.get(i));
                        if (e.size() != 3) {
                            throw new IllegalArgumentException("entry " + i + " is not [seq, kind, body]");
                        }
                        entries.add(new StreamEntry(Cbor.unsigned(e.get(0)),
                                StreamEntry.Kind.of((int) Cbor.unsigned(e.get(1))), Cbor.bytes(e.get(2))));
                    }
                    yield new Entries(entries);
                }
                case 2 -> {
                    CBORObject list = Cbor.array(map.get(3));
                    List<byte[]> grants = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        grants.add(Cbor.bytes(list.get(i)));
                    }
                    yield new Snapshot(Cbor.unsigned(map.get(2)), Cbor.unsigned(map.get(7)), grants);
                }
                case 3 -> new Ack(Cbor.unsigned(map.get(2)),
                        map.get(4) != null && map.get(4).getType() == CBORType.Boolean && map.get(4).AsBoolean(),
                        map.get(5) == null ? 0 : Cbor.unsigned(map.get(5)));
                default -> throw new IllegalArgumentException("unknown message type " + map.get(0));
            };
        } catch (CBORException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException("not valid CBOR: " + e.getMessage());
        }
    }

    /**
     * Consecutive entries of the stream.
     *
     * @param entries the entries, in order
     */
    record Entries(List<StreamEntry> entries) implements StreamMessage {

        /** Copies the list and checks the numbers are consecutive. */
        public Entries {
            entries = List.copyOf(entries);
            for (int i = 1; i < entries.size(); i++) {
                if (entries.get(i).seq() != entries.get(i - 1).seq() + 1) {
                    throw new IllegalArgumentException("entries are not consecutive at " + entries.get(i).seq());
                }
            }
        }

        @Override
        public byte[] encode() {
            CBORObject list = CBORObject.NewArray();
            for (StreamEntry e : entries) {
                list.Add(CBORObject.NewArray().Add(e.seq()).Add(e.kind().code()).Add(CBORObject.FromObject(e.body())));
            }
            return CBORObject.NewMap().Add(0, 1).Add(1, list).EncodeToBytes(Cbor.OPTIONS);
        }
    }

    /**
     * Every live grant of a gateway as of a stream number.
     *
     * @param seq      the stream number the snapshot stands for
     * @param issuedAt when the cloud made it, seconds since 1970: a gateway refuses an old one
     * @param grants   the signed grants
     */
    record Snapshot(long seq, long issuedAt, List<byte[]> grants) implements StreamMessage {

        /** Copies the list. */
        public Snapshot {
            grants = grants.stream().map(byte[]::clone).toList();
        }

        @Override
        public byte[] encode() {
            CBORObject list = CBORObject.NewArray();
            grants.forEach(g -> list.Add(CBORObject.FromObject(g)));
            return CBORObject.NewMap().Add(0, 2).Add(2, seq).Add(3, list).Add(7, issuedAt).EncodeToBytes(Cbor.OPTIONS);
        }
    }

    /**
     * The highest stream number a gateway has durably applied.
     *
     * @param seq   the number; 0 with hello asks for a snapshot
     * @param hello the gateway has just connected, or found a gap: send again from {@code seq}
     */
    record Ack(long seq, boolean hello, long features) implements StreamMessage {

        /** The gateway obeys {@link StreamEntry.Kind#UNLOCK} entries (remote unlock); a gateway without it stops at one. */
        public static final long REMOTE_UNLOCK = 1;
        /** Everything this build of the gateway understands. */
        public static final long FEATURES = REMOTE_UNLOCK;

        /**
         * An ack that claims no features (the cloud's side in tests; an older gateway).
         *
         * @param seq   highest seq durably applied
         * @param hello resend after seq
         */
        public Ack(long seq, boolean hello) {
            this(seq, hello, 0);
        }

        /**
         * @param feature a feature bit
         * @return whether the gateway says it has it
         */
        public boolean has(long feature) {
            return (features & feature) == feature;
        }

        @Override
        public byte[] encode() {
            CBORObject map = CBORObject.NewMap().Add(0, 3).Add(2, seq).Add(4, hello);
            if (features != 0) {
                map.Add(5, features);
            }
            return map.EncodeToBytes(Cbor.OPTIONS);
        }
    }

    /** CBOR helpers for the messages. */
    final class Cbor {
        static final CBOREncodeOptions OPTIONS = new CBOREncodeOptions("ctap2canonical=true");

        private Cbor() {
        }

        static long unsigned(CBORObject value) {
            Objects.requireNonNull(value, "missing field");
            if (value.getType() != CBORType.Integer || !value.CanValueFitInInt64() || value.AsInt64Value() < 0) {
                throw new IllegalArgumentException("expected an unsigned integer, got " + value.getType());
            }
            return value.AsInt64Value();
        }

        static byte[] bytes(CBORObject value) {
            Objects.requireNonNull(value, "missing field");
            if (value.getType() != CBORType.ByteString) {
                throw new IllegalArgumentException("expected bytes, got " + value.getType());
            }
            return value.GetByteString();
        }

        static CBORObject array(CBORObject value) {
            Objects.requireNonNull(value, "missing field");
            if (value.getType() != CBORType.Array) {
                throw new IllegalArgumentException("expected an array, got " + value.getType());
            }
            return value;
        }
    }
}
