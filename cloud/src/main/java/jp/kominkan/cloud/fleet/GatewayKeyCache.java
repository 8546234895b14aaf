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
 * at enrollment (a new one: looked up again at once when a signature fails) and at decommissioning
 * (checked on every message by the caller), so a few seconds' cache spares a query per message.
 * Transport-free.
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
        Instant now = clock.instant();
        Keys keys = cache.compute(topic.id(), (id, cached) -> cached != null && now.isBefore(cached.until())
                ? cached : new Keys(certificates.publicKeys(id, now), now.plusSeconds(SECONDS)));
        if (cache.size() > MAX_GATEWAYS) {
            cache.clear();
        }
        try {
            return GatewaySignature.open(keys.keys(), topic, signed, maxBytes);
        } catch (IllegalArgumentException e) {
            cache.remove(topic.id());
            throw e;
        }
    }

    /** A gateway's public keys, as read at a time. */
    private record Keys(List<PublicKey> keys, Instant until) {
    }
}
