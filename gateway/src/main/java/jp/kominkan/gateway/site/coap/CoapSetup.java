package jp.kominkan.gateway.site.coap;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * Californium's settings for the site link, in one place (docs/gateway.md, "Site link"). Nothing is
 * read from or written to a properties file.
 */
final class CoapSetup {

    /** Largest request body: a door pass is about 360 bytes; anything over 1 KiB gets 4.13. */
    static final int MAX_BODY = 1024;

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private CoapSetup() {
    }

    /**
     * @param role    server (keypads and QR readers post to the gateway) or client (the gateway drives locks)
     * @param devices how many devices use it
     * @return the configuration
     */
    static Configuration configuration(DtlsConfig.DtlsRole role, int devices) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, role);
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_BODY);
        config.set(CoapConfig.MAX_MESSAGE_SIZE, MAX_BODY);
        config.set(CoapConfig.PREFERRED_BLOCK_SIZE, MAX_BODY);
        // Sized for a building, not Californium's 150,000 of a cloud server: a device that reboots (or a
        // command-line client) comes back from a new port as a new connection, so room for many per
        // device, and a connection idle for 10 minutes may make way for a new one when the table is full.
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, Math.max(1000, devices * 50));
        config.set(DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD, 10L, TimeUnit.MINUTES);
        // RFC 6347's 1 s initial retransmission; a handshake that cannot complete gives up after ~15 s.
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 1000L, TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 3);
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 2);
        // Each exchange is kept this long to catch retransmissions (about 45 s at most with the default
        // ACK timeout); Californium's 247 s held ~2.3 KiB per request and filled a 48 MiB heap at ~45/s.
        config.set(CoapConfig.EXCHANGE_LIFETIME, 60L, TimeUnit.SECONDS);
        return config;
    }

    /**
     * Lets the devices with these raw public keys (RFC 7250) in, the gateway presenting its own
     * site-link key; nothing when there are none (PSK only).
     *
     * @param dtls    the connector's settings
     * @param own     the gateway's site-link key pair
     * @param trusted the devices' keys
     */
    static void trustRawPublicKeys(DtlsConnectorConfig.Builder dtls, KeyPair own, List<RawPublicKeyIdentity> trusted) {
        if (!trusted.isEmpty()) {
            dtls.setCertificateIdentityProvider(new SingleCertificateProvider(own.getPrivate(), own.getPublic()))
                    .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                            .setTrustedRPKs(trusted.toArray(RawPublicKeyIdentity[]::new)).build());
        }
    }

    /**
     * @param subjectPublicKeyInfo an EC public key, DER
     * @return the key
     */
    static PublicKey publicKey(byte[] subjectPublicKeyInfo) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an EC public key", e);
        }
    }
}
