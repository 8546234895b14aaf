package jp.kominkan.shared.grant;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * The grant's payload: a CBOR map with small integer keys, encoded deterministically
 * (RFC 8949 §4.2: shortest forms, definite lengths, keys in order) so that the signed bytes are
 * the same whoever encodes them, and a verifier can insist on exactly that form.
 *
 * <pre>
 * { 0: 1                  ; format version
 *   1: bstr .size 16      ; grant id
 *   2: tstr               ; municipality code
 *   3: tstr               ; door id
 *   4: bstr .size 16      ; reservation id
 *   5: uint               ; valid from, seconds since 1970
 *   6: uint               ; valid until
 *   7: bstr .size 16      ; code verifier
 *   8: uint }             ; issued at
 * </pre>
 * The key id travels in the COSE protected header, not here.
 */
final class GrantPayload {

    /** Deterministic encoding (CTAP2 canonical coincides with RFC 8949 §4.2.1 for these keys). */
    static final CBOREncodeOptions DETERMINISTIC = new CBOREncodeOptions("ctap2canonical=true");
    static final int VERSION = 1;
    private static final Set<Integer> KEYS = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8);

    private GrantPayload() {
    }

    static byte[] encode(AccessGrant grant) {
        CBORObject map = CBORObject.NewMap()
                .Add(0, VERSION)
                .Add(1, uuid(grant.grantId()))
                .Add(2, grant.municipalityCode())
                .Add(3, grant.doorId())
                .Add(4, uuid(grant.reservationId()))
                .Add(5, grant.validFrom().getEpochSecond())
                .Add(6, grant.validUntil().getEpochSecond())
                .Add(7, grant.codeVerifier().bytes())
                .Add(8, grant.issuedAt().getEpochSecond());
        return map.EncodeToBytes(DETERMINISTIC);
    }

    /**
     * @param bytes the payload
     * @param keyId the key id from the protected header
     * @return the grant
     * @throws IllegalArgumentException naming what is wrong
     */
    static AccessGrant decode(byte[] bytes, String keyId) {
        CBORObject map = CBORObject.DecodeFromBytes(bytes, DETERMINISTIC);
        if (map.getType() != CBORType.Map || map.isTagged()) {
            throw new IllegalArgumentException("payload is not a CBOR map");
        }
        if (map.size() != KEYS.size()) {
            throw new IllegalArgumentException("payload has " + map.size() + " fields, expected " + KEYS.size());
        }
        for (CBORObject key : map.getKeys()) {
            if (key.getType() != CBORType.Integer || !KEYS.contains(key.AsInt32Value())) {
                throw new IllegalArgumentException("payload has an unknown field " + key);
            }
        }
        if (unsigned(map, 0) != VERSION) {
            throw new IllegalArgumentException("payload version " + map.get(0) + " is not " + VERSION);
        }
        return new AccessGrant(uuid(map, 1), text(map, 2), text(map, 3), uuid(map, 4),
                Instant.ofEpochSecond(unsigned(map, 5)), Instant.ofEpochSecond(unsigned(map, 6)),
                new CodeVerifier(bytes(map, 7, CodeVerifier.LENGTH)), Instant.ofEpochSecond(unsigned(map, 8)), keyId);
    }

    private static byte[] uuid(UUID id) {
        return UuidBytes.of(id);
    }

    private static UUID uuid(CBORObject map, int key) {
        return UuidBytes.uuid(bytes(map, key, UuidBytes.LENGTH));
    }

    private static byte[] bytes(CBORObject map, int key, int length) {
        CBORObject value = map.get(key);
        if (value.getType() != CBORType.ByteString || value.isTagged() || value.GetByteString().length != length) {
            throw new IllegalArgumentException("field " + key + " is not a " + length + "-byte string");
        }
        return value.GetByteString();
    }

    private static String text(CBORObject map, int key) {
        CBORObject value = map.get(key);
        if (value.getType() != CBORType.TextString || value.isTagged()) {
            throw new IllegalArgumentException("field " + key + " is not a text string");
        }
        return value.AsString();
    }

    private static long unsigned(CBORObject map, int key) {
        CBORObject value = map.get(key);
        if (value.getType() != CBORType.Integer || value.isTagged() || !value.CanValueFitInInt64()
                || value.AsInt64Value() < 0) {
            throw new IllegalArgumentException("field " + key + " is not an unsigned integer");
        }
        return value.AsInt64Value();
    }
}
