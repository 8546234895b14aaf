package jp.kominkan.cloud.fleet;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jp.kominkan.cloud.pki.CertificateRegistry;
import jp.kominkan.shared.stream.GatewaySignature;
import jp.kominkan.shared.topic.Topic;

/**
 * Opens what a gateway signed with the keys of its valid certificates. A gateway's keys change only
 * at enrollment (a new one: looked up again when a cached entry fails) and at decommissioning
 * (checked on every message by the caller), so a few seconds' cache spares a query per message; a
 * malformed message costs no query at all. Transport-free.
 */
final class GatewayKeyCache {

    private static final long SECONDS = 10;
    /** Ids come from the wire: the map never grows past this. */
    private static final int MAX_GATEWAYS = 10_000;

    private final CertificateRegistry certificates;
    private final Clock clock;
    private final Map<String, Keys> cache = new ConcurrentHashMap<>();

    GatewayKeyCache(CertificateRegistry certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    /**
     * @param topic    the topic it came on (names the gateway)
     * @param signed   what came
     * @param maxBytes the largest accepted
     * @return the message
     * @throws IllegalArgumentException when no key of the gateway signed it for the topic
     */
    byte[] open(Topic topic, byte[] signed, int maxBytes) {
        // Junk is refused before any key is looked up.
        GatewaySignature.Envelope envelope = GatewaySignature.envelope(signed, maxBytes);
        Instant now = clock.instant();
        Keys cached = cache.get(topic.id());
        boolean fresh = cached == null || !now.isBefore(cached.until());
        Keys keys = fresh ? load(topic.id(), now) : cached;
        if (!GatewaySignature.verifies(keys.keys(), topic, envelope)
                && (fresh || !GatewaySignature.verifies(load(topic.id(), now).keys(), topic, envelope))) {
            // A cached entry may predate a re-enrollment: looked up once more before refusing.
            throw new IllegalArgumentException("not signed by a key of this gateway for " + topic.name());
        }
        return envelope.payload();
    }

    private Keys load(String gatewayId, Instant now) {
        if (cache.size() >= MAX_GATEWAYS) {
            cache.clear();
        }
        Keys keys = new Keys(certificates.publicKeys(gatewayId, now), now.plusSeconds(SECONDS));
        cache.put(gatewayId, keys);
        return keys;
    }

    /** A gateway's public keys, as read at a time. */
    private record Keys(List<PublicKey> keys, Instant until) {
    }
}
