package jp.kominkan.gateway.access;

import static jp.kominkan.gateway.access.Grants.DOOR;
import static jp.kominkan.gateway.access.Grants.DOOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.pass.Base45;
import jp.kominkan.shared.pass.DoorPass;
import jp.kominkan.shared.stream.StreamEntry;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A door pass at the reader: it opens its door for a grant the gateway never synced, and nothing
 * else does — another door, outside the window, a bad signature, a revoked grant, a stale or
 * altered pass, the wrong code inside, or text that is not a pass — each refused with its reason.
 */
class DoorPassAccessTest {

    /** On a 30-second step boundary, inside the booking below. */
    private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    private static final String CODE = "27182818";
    private static final String OTHER_DOOR = "999991-door-hall";

    @TempDir
    Path dir;
    private GrantStore store;
    private Lockout lockout;
    private long seq;

    @BeforeEach
    void open() {
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        lockout = new Lockout();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private DoorAccess access(Instant now) {
        return new DoorAccess(store, Map.of(DOOR, DOOR_KEY, OTHER_DOOR, DOOR_KEY), lockout, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A booking made while the building was offline: signed by the cloud, never on this gateway's stream. */
    private static AccessGrant unsynced(String door) {
        return Grants.grant(door, CODE, NOW.minusSeconds(600), NOW.plusSeconds(3600));
    }

    private static AccessDecision.Reason denied(AccessDecision decision) {
        assertThat(decision).isInstanceOf(AccessDecision.Denied.class);
        return ((AccessDecision.Denied) decision).reason();
    }

    @Test
    void aPassOpensItsDoorForAGrantTheGatewayNeverSynced() {
        AccessGrant grant = unsynced(DOOR);
        assertThat(denied(access(NOW).decide(DOOR, CODE))).as("the typed code, unknown here")
                .isEqualTo(AccessDecision.Reason.UNKNOWN_CODE);
        assertThat(access(NOW).decidePass(DOOR, Grants.pass(grant, CODE, NOW))).isEqualTo(new AccessDecision.Granted(grant));
        assertThat(store.size()).isZero();
    }

    @Test
    void aPassForAnotherDoorOrAtADoorThisGatewayDoesNotDriveIsRefused() {
        String hallPass = Grants.pass(unsynced(OTHER_DOOR), CODE, NOW);
        assertThat(denied(access(NOW).decidePass(DOOR, hallPass))).isEqualTo(AccessDecision.Reason.OTHER_DOOR);
        assertThat(denied(access(NOW).decidePass("999991-door-elsewhere", hallPass)))
                .isEqualTo(AccessDecision.Reason.UNKNOWN_DOOR);
        assertThat(access(NOW).decidePass(OTHER_DOOR, hallPass)).isInstanceOf(AccessDecision.Granted.class);
    }

    @Test
    void aFreshPassOutsideItsGrantsWindowIsRefused() {
        AccessGrant grant = unsynced(DOOR);
        Instant early = grant.validFrom().minusSeconds(1);
        assertThat(denied(access(early).decidePass(DOOR, Grants.pass(grant, CODE, early))))
                .isEqualTo(AccessDecision.Reason.NOT_YET_VALID);
        Instant late = grant.validUntil();
        assertThat(denied(access(late).decidePass(DOOR, Grants.pass(grant, CODE, late))))
                .isEqualTo(AccessDecision.Reason.EXPIRED);
        Instant last = grant.validUntil().minusSeconds(1);
        assertThat(access(last).decidePass(DOOR, Grants.pass(grant, CODE, last))).isInstanceOf(AccessDecision.Granted.class);
    }

    @Test
    void aGrantWhoseSignatureIsBadOrByAnUntrustedKeyIsRefused() {
        AccessGrant grant = unsynced(DOOR);
        byte[] signed = Grants.signed(grant);
        signed[signed.length - 1] ^= 0x01; // the last byte of the Ed25519 signature
        assertThat(denied(access(NOW).decidePass(DOOR, pass(signed, grant, CODE, NOW))))
                .isEqualTo(AccessDecision.Reason.BAD_SIGNATURE);

        Ed25519PrivateKeyParameters rogue = new Ed25519PrivateKeyParameters(new SecureRandom());
        byte[] claimingTheCloudsKey = new GrantSigner(rogue, Grants.KEY_ID).sign(grant);
        assertThat(denied(access(NOW).decidePass(DOOR, pass(claimingTheCloudsKey, grant, CODE, NOW))))
                .isEqualTo(AccessDecision.Reason.BAD_SIGNATURE);
        AccessGrant own = new AccessGrant(grant.grantId(), "999991", DOOR, grant.reservationId(), grant.validFrom(),
                grant.validUntil(), grant.codeVerifier(), grant.issuedAt(), GrantKeys.keyId(rogue.generatePublicKey()));
        assertThat(denied(access(NOW).decidePass(DOOR, pass(new GrantSigner(rogue, own.keyId()).sign(own), own, CODE, NOW))))
                .isEqualTo(AccessDecision.Reason.BAD_SIGNATURE);
    }

    @Test
    void aGrantRevokedOnTheStreamIsRefusedThoughItWasNeverSynced() {
        AccessGrant grant = unsynced(DOOR);
        assertThat(store.apply(new StreamEntry(++seq, StreamEntry.Kind.REVOKE, Grants.id(grant.grantId()))))
                .isEqualTo(GrantStore.Applied.APPLIED);
        store.sync();
        assertThat(denied(access(NOW).decidePass(DOOR, Grants.pass(grant, CODE, NOW)))).isEqualTo(AccessDecision.Reason.REVOKED);
        // The revocation is on disk: a restarted gateway still refuses the pass.
        store.close();
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        assertThat(denied(access(NOW).decidePass(DOOR, Grants.pass(grant, CODE, NOW)))).isEqualTo(AccessDecision.Reason.REVOKED);
        // And so does one that later took a snapshot without the grant.
        assertThat(store.replaceWith(seq + 5, List.of(), NOW)).isTrue();
        assertThat(denied(access(NOW).decidePass(DOOR, Grants.pass(grant, CODE, NOW)))).isEqualTo(AccessDecision.Reason.REVOKED);
    }

    @Test
    void aPassOlderThanTenStepsOrMoreThanTwoAheadIsStale() {
        AccessGrant grant = unsynced(DOOR);
        String pass = Grants.pass(grant, CODE, NOW);
        assertThat(access(NOW.plusSeconds(329)).decidePass(DOOR, pass)).isInstanceOf(AccessDecision.Granted.class);
        assertThat(denied(access(NOW.plusSeconds(330)).decidePass(DOOR, pass))).isEqualTo(AccessDecision.Reason.STALE_PASS);
        assertThat(denied(access(NOW.plusSeconds(86_400)).decidePass(DOOR, pass))).isEqualTo(AccessDecision.Reason.STALE_PASS);
        assertThat(access(NOW.minusSeconds(60)).decidePass(DOOR, pass)).isInstanceOf(AccessDecision.Granted.class);
        assertThat(denied(access(NOW.minusSeconds(61)).decidePass(DOOR, pass))).isEqualTo(AccessDecision.Reason.STALE_PASS);
    }

    @Test
    void anAlteredSealOrAnotherCodeInsideIsABadPass() {
        AccessGrant grant = unsynced(DOOR);
        assertThat(denied(access(NOW).decidePass(DOOR, Grants.pass(grant, "27182819", NOW))))
                .isEqualTo(AccessDecision.Reason.BAD_PASS);
        DoorPass genuine = DoorPass.read(Grants.pass(grant, CODE, NOW));
        for (int i = 0; i < genuine.sealed().length; i += 7) {
            byte[] sealed = genuine.sealed();
            sealed[i] ^= 0x20;
            assertThat(denied(access(NOW).decidePass(DOOR, new DoorPass(genuine.signedGrant(), genuine.step(), sealed).text())))
                    .as("byte %d of the seal", i).isEqualTo(AccessDecision.Reason.BAD_PASS);
        }
        // A seal moved to the next step (to stretch its life) no longer opens.
        assertThat(denied(access(NOW).decidePass(DOOR, new DoorPass(genuine.signedGrant(), genuine.step() + 1,
                genuine.sealed()).text()))).isEqualTo(AccessDecision.Reason.BAD_PASS);
        // Sealed under another door's key: nobody without this door's key can make a pass for it.
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        String forged = DoorPass.issue(Grants.signed(grant), grant.grantId(), DOOR, otherKey, new BookingCode(CODE), NOW).text();
        assertThat(denied(access(NOW).decidePass(DOOR, forged))).isEqualTo(AccessDecision.Reason.BAD_PASS);
    }

    @Test
    void textThatIsNotAPassIsABadPass() {
        String pass = Grants.pass(unsynced(DOOR), CODE, NOW);
        List<String> junk = List.of("", CODE, "KMK1:", "KMK1", "HC1:" + pass.substring(5), "kmk1:" + pass.substring(5),
                pass.substring(0, pass.length() / 2), pass.substring(0, pass.length() - 1), pass + "00",
                "KMK1:" + pass.substring(5).toLowerCase(), "KMK1:" + Base45.encode(new byte[300]),
                "KMK1:" + "\u0000".repeat(30), pass + " ".repeat(DoorPass.MAX_TEXT - pass.length() + 1),
                "KMK1:" + "Z".repeat(999_995));
        for (String text : junk) {
            assertThat(denied(access(NOW).decidePass(DOOR, text))).as("%.20s…", text).isEqualTo(AccessDecision.Reason.BAD_PASS);
        }
    }

    @Test
    void theKeypadLockoutNeitherStopsNorCountsPasses() {
        AccessDecision granted = access(NOW).decidePass(DOOR, Grants.pass(unsynced(DOOR), CODE, NOW));
        assertThat(granted).isInstanceOf(AccessDecision.Granted.class);
        for (int i = 0; i < Lockout.FREE_TRIES * 3; i++) {
            access(NOW).decidePass(DOOR, "KMK1:junk" + i);
        }
        assertThat(lockout.isLocked(DOOR, NOW)).isFalse();
        for (int i = 0; i < Lockout.FREE_TRIES; i++) {
            access(NOW).decide(DOOR, "0000000" + i);
        }
        assertThat(lockout.isLocked(DOOR, NOW)).isTrue();
        assertThat(access(NOW).decidePass(DOOR, Grants.pass(unsynced(DOOR), CODE, NOW))).isInstanceOf(AccessDecision.Granted.class);
    }

    @Test
    void noLogLineHoldsThePassOrItsCode() {
        Logger logger = Logger.getLogger(DoorAccess.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        try {
            AccessGrant grant = unsynced(DOOR);
            String stale = Grants.pass(grant, CODE, NOW.minusSeconds(3600));
            String wrongCode = Grants.pass(grant, "27182819", NOW);
            access(NOW).decidePass(DOOR, stale);
            access(NOW).decidePass(DOOR, wrongCode);
            access(NOW).decidePass(DOOR, Grants.pass(grant, CODE, NOW));
            assertThat(records).hasSize(2);
            for (LogRecord record : records) {
                String line = new java.util.logging.SimpleFormatter().formatMessage(record);
                assertThat(line).contains(DOOR).doesNotContain(CODE).doesNotContain("27182819")
                        .doesNotContain(stale.substring(5, 25)).doesNotContain(wrongCode.substring(5, 25));
            }
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(before);
        }
    }

    private static String pass(byte[] signed, AccessGrant grant, String code, Instant at) {
        return DoorPass.issue(signed, grant.grantId(), grant.doorId(), DOOR_KEY, new BookingCode(code), at).text();
    }
}
