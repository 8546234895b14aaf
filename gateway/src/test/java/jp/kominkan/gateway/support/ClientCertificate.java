package jp.kominkan.gateway.support;

import java.nio.file.Path;

/**
 * A broker client's TLS files, for the stock {@code mosquitto_pub}/{@code mosquitto_sub}: a
 * gateway's enrolled files, the cloud's own, or a forgery made by a test.
 *
 * @param name        its broker user name (the certificate's CN)
 * @param certificate its certificate
 * @param key         its private key
 * @param ca          the CA to trust for the broker
 */
public record ClientCertificate(String name, Path certificate, Path key, Path ca) {
}
