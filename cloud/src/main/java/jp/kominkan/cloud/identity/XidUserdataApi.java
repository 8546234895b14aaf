package jp.kominkan.cloud.identity;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import jp.kominkan.shared.seal.SealedBox;

/**
 * xID's Userdata API as published: {@code GET {api}/verification/userdata} with the login's access token
 * (scope {@code openid verification}), answered with the person's verified facts, each but the names sealed to the
 * municipality's X25519 key ({@link XidUserdata}). The API base is configured per provider
 * ({@code userdata-api}, e.g. {@code https://api.x-id.io/v4}); so are the municipality's key pair
 * ({@code box-public-key}, {@code box-secret-key}: raw 32-byte keys in Base64, the secret from the environment).
 */
public final class XidUserdataApi {

    private static final System.Logger LOG = System.getLogger(XidUserdataApi.class.getName());
    private static final int MOST_BYTES = 64 * 1024;

    private final URI endpoint;
    private final SealedBox box;
    private final int timeoutMillis;

    /**
     * @param api     the API base, without {@code /verification/userdata}
     * @param box     the municipality's key pair
     * @param timeout connect and read timeout
     */
    public XidUserdataApi(URI api, SealedBox box, Duration timeout) {
        String base = api.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/verification/userdata");
        this.box = box;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /**
     * @param accessToken the login's access token
     * @param today       today, for the birth date's check
     * @return the person's facts, opened
     * @throws IdentityFailure when xID cannot be reached, refuses, or answers something that cannot be read
     */
    public XidUserdata fetch(String accessToken, LocalDate today) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, endpoint);
        request.setAuthorization(new BearerAccessToken(accessToken).toAuthorizationHeader());
        request.setAccept("application/json");
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        HTTPResponse response;
        try {
            response = request.send();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "xID Userdata API " + endpoint + " unreachable: " + e);
            throw IdentityFailure.providerDown("userdata-unreachable");
        }
        if (response.getStatusCode() != 200) {
            LOG.log(Level.WARNING, "xID Userdata API " + endpoint + " answered " + response.getStatusCode());
            throw IdentityFailure.providerDown("userdata-refused");
        }
        String body = Optional.ofNullable(response.getBody()).orElse("");
        if (body.length() > MOST_BYTES) {
            throw IdentityFailure.providerDown("userdata-too-large");
        }
        Map<String, Object> answer;
        try {
            answer = com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "xID Userdata API " + endpoint + ": unreadable answer");
            throw IdentityFailure.providerDown("userdata-unreadable");
        }
        return XidUserdata.open(answer, box, today);
    }

    /**
     * @param data    the person's facts from the Userdata API
     * @param subject the ID token's subject
     * @param claims  the ID token's and userinfo's claims, for the e-mail
     * @return the facts in our terms
     */
    public static VerifiedFacts facts(XidUserdata data, String subject, Map<String, Object> claims) {
        Claims contact = new Claims(claims);
        return new VerifiedFacts(subject, Claims.limited("last_name", data.name(), 100), Optional.empty(),
                data.previousName(), data.address(), data.birthDate(), contact.email(), Optional.empty());
    }

    @Override
    public String toString() {
        return "XidUserdataApi[" + endpoint + "]";
    }
}
