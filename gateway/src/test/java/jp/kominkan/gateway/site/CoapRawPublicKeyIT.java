package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.junit.jupiter.api.Test;

/**
 * A CoAP keypad with a raw public key (RFC 7250) instead of a PSK, with Californium as the device:
 * its own key opens a session and reaches the door's decision; a key the profile does not name,
 * or a device that does not pin the gateway's key, gets nowhere.
 */
class CoapRawPublicKeyIT {

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void aKeypadWithItsRawPublicKeyIsHeardAndAStrangersKeyIsNot() throws Exception {
        KeyPair keypad = ecKey();
        Path storage = Files.createTempDirectory("rpk-gateway");
        SiteProfile.Device device = new SiteProfile.Device("kp-rpk",
                new SiteProfile.Credential.RawPublicKey(keypad.getPublic().getEncoded()));
        SiteProfile profile = new SiteProfile("999991-gw-rpk", "999991", URI.create("tcp://127.0.0.1:1"), storage, Map.of(),
                List.of(new SiteProfile.Door("door-rpk", "RPK door", new byte[32],
                        new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(100)), Optional.empty(),
                        List.of(new SiteProfile.Keypad.Coap(device)), List.of())))
                .withSiteLink(new SiteProfile.SiteLink(new SiteProfile.CoapListener("127.0.0.1", 0),
                        SiteProfile.SiteLink.DEFAULT.mqtt()));
        try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
            int port = gateway.site().coap().orElseThrow().port();
            KeyPair gatewayKey = gateway.site().key();
            CoapResponse heard = post(port, keypad, gatewayKey);
            assertThat(heard).as("the profile's key is heard").isNotNull();
            assertThat(heard.getResponseText()).isEqualTo("{\"decision\":\"denied\",\"reason\":\"unknown-code\"}");
            assertThat(refused(port, ecKey(), gatewayKey)).as("a stranger's key").contains("BAD_CERTIFICATE");
            assertThat(refused(port, keypad, ecKey())).as("a device pinning another gateway's key").contains("not trusted");
            assertThat(gateway.relay("door-rpk").pulses()).isZero();
        }
    }

    /** @return how the handshake was refused (an alert, or no answer); fails the test if it was answered */
    static String refused(int port, KeyPair device, KeyPair trustedGateway) throws Exception {
        try {
            CoapResponse response = post(port, device, trustedGateway);
            assertThat(response).as("no answer").isNull();
            return "no answer";
        } catch (java.io.IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    static CoapResponse post(int port, KeyPair device, KeyPair trustedGateway) throws Exception {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(device.getPrivate(), device.getPublic()))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedRPKs(new RawPublicKeyIdentity(trustedGateway.getPublic())).build())
                .build());
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
        CoapClient client = new CoapClient("coaps://127.0.0.1:" + port + "/keypad");
        client.setEndpoint(endpoint);
        client.setTimeout(4000L);
        try {
            return client.post("{\"code\":\"12345678\"}", MediaTypeRegistry.APPLICATION_JSON);
        } finally {
            client.shutdown();
            endpoint.destroy();
        }
    }
}
