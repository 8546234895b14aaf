package jp.kominkan.shared.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * Door events on {@code kominkan/v1/gw/{id}/events} and their receipts on
 * {@code kominkan/v1/gw/{id}/receipts}, as CBOR:
 *
 * <pre>
 * Events  = {0: 4, 1: [[id: bstr16, door: tstr, type: tstr, at: uint (ms), grant: bstr16 / null, reason: tstr / null], …]}
 * Receipt = {0: 5, 1: [id: bstr16, …]}
 * </pre>
 */
public sealed interface EventMessage {

    /** Largest message accepted. */
    int MAX_BYTES = 1024 * 1024;
    /** Most events in one message. */
    int MAX_EVENTS = 1000;

    /** @return the message as CBOR */
    byte[] encode();

    /**
     * @param bytes a message received
     * @return the message
     * @throws IllegalArgumentException saying what is wrong
     */
    static EventMessage decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("message of " + bytes.length + " bytes is over " + MAX_BYTES);
        }
        try {
            CBORObject map = CBORObject.DecodeFromBytes(bytes, Codec.OPTIONS);
            if (map.getType() != CBORType.Map || map.get(0) == null || map.get(1) == null
                    || map.get(1).getType() != CBORType.Array || map.get(1).size() > MAX_EVENTS) {
                throw new IllegalArgumentException("not an event message");
            }
            CBORObject list = map.get(1);
            int type = map.get(0).getType() == CBORType.Integer ? map.get(0).AsInt32Value() : -1;
            switch (type) {
                case 4 -> {
                    List<DoorEvent> events = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        CBORObject e = list.get(i);
                        if (e.getType() != CBORType.Array || e.size() != 6) {
                            throw new IllegalArgumentException("event " + i + " is not a 6-element array");
                        }
                        events.add(new DoorEvent(Codec.uuid(e.get(0)), e.get(1).AsString(),
                                DoorEvent.Type.of(e.get(2).AsString()), Instant.ofEpochMilli(e.get(3).AsInt64Value()),
                                e.get(4).isNull() ? Optional.empty() : Optional.of(Codec.uuid(e.get(4))),
                                e.get(5).isNull() ? Optional.empty() : Optional.of(e.get(5).AsString())));
                    }
                    return new Events(events);
                }
                case 5 -> {
                    List<UUID> ids = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        ids.add(Codec.uuid(list.get(i)));
                    }
                    return new Receipt(ids);
                }
                default -> throw new IllegalArgumentException("unknown message type " + map.get(0));
            }
        } catch (CBORException | IllegalStateException | ArithmeticException | NullPointerException e) {
            throw new IllegalArgumentException("not a valid event message: " + e.getMessage());
        }
    }

    /**
     * Some door events.
     *
     * @param events the events
     */
    record Events(List<DoorEvent> events) implements EventMessage {

        /** Copies the list. */
        public Events {
            events = List.copyOf(events);
        }

        @Override
        public byte[] encode() {
            CBORObject list = CBORObject.NewArray();
            for (DoorEvent e : events) {
                list.Add(CBORObject.NewArray()
                        .Add(CBORObject.FromObject(Codec.bytes(e.id())))
                        .Add(e.doorId())
                        .Add(e.type().wire())
                        .Add(e.at().toEpochMilli())
                        .Add(e.grantId().map(id -> CBORObject.FromObject(Codec.bytes(id))).orElse(CBORObject.Null))
                        .Add(e.reason().map(CBORObject::FromObject).orElse(CBORObject.Null)));
            }
            return CBORObject.NewMap().Add(0, 4).Add(1, list).EncodeToBytes(Codec.OPTIONS);
        }
    }

    /**
     * The ids of events the cloud has stored.
     *
     * @param ids the event ids
     */
    record Receipt(List<UUID> ids) implements EventMessage {

        /** Copies the list. */
        public Receipt {
            ids = List.copyOf(ids);
        }

        @Override
        public byte[] encode() {
            CBORObject list = CBORObject.NewArray();
            ids.forEach(id -> list.Add(CBORObject.FromObject(Codec.bytes(id))));
            return CBORObject.NewMap().Add(0, 5).Add(1, list).EncodeToBytes(Codec.OPTIONS);
        }
    }

    /** CBOR helpers. */
    final class Codec {
        static final CBOREncodeOptions OPTIONS = new CBOREncodeOptions("ctap2canonical=true");

        private Codec() {
        }

        static byte[] bytes(UUID id) {
            return UuidBytes.of(id);
        }

        static UUID uuid(CBORObject value) {
            if (value.getType() != CBORType.ByteString) {
                throw new IllegalArgumentException("an id must be 16 bytes");
            }
            return UuidBytes.uuid(value.GetByteString());
        }
    }
}
