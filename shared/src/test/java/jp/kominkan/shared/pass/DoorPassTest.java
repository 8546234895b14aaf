package jp.kominkan.shared.pass;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.upokecenter.cbor.CBORObject;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** Making and checking passes with fresh keys; every kind of bad pass gets its reason, never an exception. */
class DoorPassTest {

    private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    private static final String DOOR = "999991-door-study";
    private static final String CODE = "31415926";
    private static final Ed25519PrivateKeyParameters CLOUD = new Ed25519PrivateKeyParameters(new SecureRandom());
    private static final String KEY_ID = GrantKeys.keyId(CLOUD.generatePublicKey());
    private static final DoorPassVerifier VERIFIER = new DoorPassVerifier(
            new GrantVerifier(Map.of(KEY_ID, CLOUD.generatePublicKey())));
    private final byte[] doorKey = new byte[32];
    private final AccessGrant grant;
    private final byte[] signed;

    DoorPassTest() {
        new SecureRandom().nextBytes(doorKey);
        grant = new AccessGrant(UUID.randomUUID(), "999991", DOOR, UUID.randomUUID(), NOW.minusSeconds(600),
                NOW.plusSeconds(3600), CodeVerifier.of(doorKey, DOOR, CODE), NOW.minusSeconds(7200), KEY_ID);
        signed = new GrantSigner(CLOUD, KEY_ID).sign(grant);
    }

    private String pass(byte[] signedGrant, String code, Instant at) {
        return DoorPass.issue(signedGrant, grant.grantId(), DOOR, doorKey, new BookingCode(code), at).text();
    }

    private DoorPassVerifier.Reason rejected(String text) {
        DoorPassVerifier.Verification result = VERIFIER.verify(text, DOOR, doorKey, NOW);
        assertThat(result).isInstanceOf(DoorPassVerifier.Verification.Rejected.class);
        DoorPassVerifier.Verification.Rejected rejected = (DoorPassVerifier.Verification.Rejected) result;
        assertThat(rejected.detail()).doesNotContain(CODE).doesNotContain(text.length() > 12 ? text.substring(5) : "\u0000");
        return rejected.reason();
    }

    @Test
    void aPassMadeNowForThisDoorProvesItsGrant() {
        String text = pass(signed, CODE, NOW);
        assertThat(text).startsWith("KMK1:").matches("KMK1:[0-9A-Z $%*+\\-./:]+").hasSizeLessThan(400);
        assertThat(VERIFIER.verify(text, DOOR, doorKey, NOW)).isEqualTo(new DoorPassVerifier.Verification.Verified(grant));
        assertThat(text).doesNotContain(CODE);
    }

    @Test
    void aPassIsFreshForTenStepsAfterItsOwnAndTwoBefore() {
        Instant made = Instant.ofEpochSecond(DoorPass.stepOf(NOW) * DoorPass.STEP_SECONDS);
        String text = pass(signed, CODE, made);
        assertThat(VERIFIER.verify(text, DOOR, doorKey, made.plusSeconds(329)))
                .isInstanceOf(DoorPassVerifier.Verification.Verified.class);
        assertThat(VERIFIER.verify(text, DOOR, doorKey, made.minusSeconds(60)))
                .isInstanceOf(DoorPassVerifier.Verification.Verified.class);
        assertThat(VERIFIER.verify(text, DOOR, doorKey, made.plusSeconds(330)))
                .isEqualTo(new DoorPassVerifier.Verification.Rejected(DoorPassVerifier.Reason.STALE,
                        "made at step " + DoorPass.stepOf(made) + ", now is step " + (DoorPass.stepOf(made) + 11)));
        assertThat(VERIFIER.verify(text, DOOR, doorKey, made.minusSeconds(61)))
                .isInstanceOf(DoorPassVerifier.Verification.Rejected.class);
    }

    @Test
    void aGrantSignedByAnotherKeyOrForAnotherDoorIsRefused() {
        Ed25519PrivateKeyParameters rogue = new Ed25519PrivateKeyParameters(new SecureRandom());
        assertThat(rejected(pass(new GrantSigner(rogue, KEY_ID).sign(grant), CODE, NOW)))
                .isEqualTo(DoorPassVerifier.Reason.BAD_SIGNATURE);
        AccessGrant untrusted = new AccessGrant(grant.grantId(), "999991", DOOR, grant.reservationId(), grant.validFrom(),
                grant.validUntil(), grant.codeVerifier(), grant.issuedAt(), GrantKeys.keyId(rogue.generatePublicKey()));
        assertThat(rejected(pass(new GrantSigner(rogue, untrusted.keyId()).sign(untrusted), CODE, NOW)))
                .isEqualTo(DoorPassVerifier.Reason.BAD_SIGNATURE);
        DoorPassVerifier.Verification elsewhere = VERIFIER.verify(pass(signed, CODE, NOW), "999991-door-hall", doorKey, NOW);
        assertThat(elsewhere).extracting(v -> ((DoorPassVerifier.Verification.Rejected) v).reason())
                .isEqualTo(DoorPassVerifier.Reason.OTHER_DOOR);
    }

    @Test
    void aSealThatDoesNotOpenOrHoldsAnotherCodeIsRefused() {
        assertThat(rejected(pass(signed, "31415927", NOW))).isEqualTo(DoorPassVerifier.Reason.BAD_PROOF);
        byte[] otherKey = doorKey.clone();
        otherKey[0] ^= 1;
        String sealedElsewhere = DoorPass.issue(signed, grant.grantId(), DOOR, otherKey, new BookingCode(CODE), NOW).text();
        assertThat(rejected(sealedElsewhere)).isEqualTo(DoorPassVerifier.Reason.BAD_PROOF);
        DoorPass genuine = DoorPass.read(pass(signed, CODE, NOW));
        byte[] sealed = genuine.sealed();
        sealed[sealed.length - 1] ^= 0x40;
        assertThat(rejected(new DoorPass(signed, genuine.step(), sealed).text())).isEqualTo(DoorPassVerifier.Reason.BAD_PROOF);
        assertThat(rejected(new DoorPass(signed, genuine.step(), new byte[0]).text()))
                .isEqualTo(DoorPassVerifier.Reason.BAD_PROOF);
    }

    @Test
    void anythingButAPassIsMalformed() {
        String text = pass(signed, CODE, NOW);
        String body = text.substring(5);
        for (String bad : new String[] {"", "KMK1:", "KMK1", "kmk1:" + body, " KMK1:" + body, "KMK2:" + body, "12345678",
                text + "\n", text.substring(0, text.length() - 3), "KMK1:" + body + "000", "KMK1:" + "0".repeat(300),
                text + "0".repeat(DoorPass.MAX_TEXT)}) {
            assertThat(rejected(bad)).as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isEqualTo(DoorPassVerifier.Reason.MALFORMED);
        }
        byte[] sealed = DoorPass.read(text).sealed();
        long step = DoorPass.stepOf(NOW);
        for (CBORObject shape : new CBORObject[] {
                CBORObject.NewMap().Add(0, 1),
                CBORObject.NewArray().Add(1).Add(signed).Add(step),
                CBORObject.NewArray().Add(1).Add(signed).Add(step).Add(sealed).Add(0),
                CBORObject.NewArray().Add(2).Add(signed).Add(step).Add(sealed),
                CBORObject.NewArray().Add(1).Add("text").Add(step).Add(sealed),
                CBORObject.NewArray().Add(1).Add(signed).Add(-step).Add(sealed),
                CBORObject.NewArray().Add(1).Add(signed).Add(step).Add(CBORObject.FromObjectAndTag(sealed, 24)),
                CBORObject.NewArray().Add(1).Add(new byte[] {(byte) 0xd2, 0x01}).Add(step).Add(sealed)}) {
            assertThat(rejected("KMK1:" + Base45.encode(shape.EncodeToBytes()))).as(shape.toString())
                    .isEqualTo(DoorPassVerifier.Reason.MALFORMED);
        }
    }
}
