package jp.kominkan.gateway.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/**
 * The gateway's own key for the site link (EC P-256), used only towards devices that authenticate
 * with raw public keys (RFC 7250): made on first start, kept owner-only in
 * {@code storage/site-link.key}, never sent anywhere. Its public key is printed at start, for the
 * installer to pin in such devices.
 */
public final class SiteKeys {

    private SiteKeys() {
    }

    /**
     * @param file where the key lives
     * @return the key pair, made now if there was none
     */
    public static KeyPair loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                try {
                    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
                    return new KeyPair(publicOf((ECPrivateKey) key), key);
                } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
                    // A damaged key must not keep the doors from starting: set it aside and make a new one
                    // (raw-public-key devices then need the new public key, which the log shows).
                    Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
                    Files.move(file, aside);
                    System.getLogger(SiteKeys.class.getName()).log(System.Logger.Level.WARNING,
                            "The site-link key " + file + " was unreadable; moved to " + aside + " and made a new one");
                }
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            OwnerOnlyFiles.replace(file, pair.getPrivate().getEncoded());
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the site-link key " + file, e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("The site-link key " + file + " is not an EC P-256 key", e);
        }
    }

    private static java.security.PublicKey publicOf(ECPrivateKey key) throws GeneralSecurityException {
        ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(key.getS()).normalize();
        java.security.spec.ECPoint point = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams()));
    }
}
