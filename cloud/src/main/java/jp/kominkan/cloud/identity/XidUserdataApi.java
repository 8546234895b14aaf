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

    /** What the resident's xID app shows with a re-verification request. */
    static final String REASON = "公共施設の予約で、住所による料金区分（市内・市外）を確かめるため";
    static final String TITLE = "本人確認情報の更新のお願い";
    static final String DESCRIPTION = "公共施設予約システムが、住所などの本人確認情報の更新をお願いしています。"
            + "引っ越しなどで変わった場合は、マイナンバーカードで更新してください。";

    private final URI endpoint;
    private final URI status;
    private final URI reverification;
    private final SealedBox box;
    private final Optional<UserdataSignature> signature;
    private final int timeoutMillis;

    /**
     * @param api       the API base, without {@code /verification/userdata}
     * @param box       the municipality's key pair
     * @param signature the answer's signature check, when turned on ({@code userdata-signature: check}; inference)
     * @param timeout   connect and read timeout
     */
    XidUserdataApi(URI api, SealedBox box, Optional<UserdataSignature> signature, Duration timeout) {
        String base = api.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/verification/userdata");
        this.status = URI.create(base + "/verification/status");
        this.reverification = URI.create(base + "/verification/re-verification");
        this.box = box;
        this.signature = signature;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /**
     * @param accessToken the login's access token
     * @param today       today, for the birth date's check
     * @return the person's facts, opened
     * @throws IdentityFailure when xID cannot be reached, refuses, or answers something that cannot be read
     */
    public XidUserdata fetch(String accessToken, LocalDate today) {
        return XidUserdata.open(call(new HTTPRequest(HTTPRequest.Method.GET, endpoint), accessToken, "userdata", true),
                box, signature, today);
    }

    /**
     * Asks xID whether the facts it holds are current (re-verification status {@code is_latest}) and, when they are
     * not (the resident moved, say), asks for a re-verification: xID's app shows the resident {@link #REASON},
     * {@link #TITLE} and {@link #DESCRIPTION} and has them read their card again. The endpoints' paths and answers
     * are inference (docs/identity.md "xID as published"): xID names these APIs but does not publish them.
     *
     * @param accessToken the login's access token
     * @return whether xID's facts were current; false means a re-verification was requested
     * @throws IdentityFailure when xID cannot be reached or refuses
     */
    public boolean renew(String accessToken) {
        Map<String, Object> answer = call(new HTTPRequest(HTTPRequest.Method.GET, status), accessToken, "xid-status",
                false);
        if ("is_latest".equals(answer.get("status"))) {
            return true;
        }
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, reverification);
        request.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_JSON);
        request.setBody(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("reason", REASON,
                "notification_title", TITLE, "notification_description", DESCRIPTION)));
        call(request, accessToken, "xid-re-verification", false);
        LOG.log(Level.INFO, "xID re-verification requested (facts not current)");
        return false;
    }

    /**
     * One call to xID with the access token, its JSON answer read.
     *
     * @param reason   the failure reasons' prefix: {@code <reason>-unreachable}, {@code -refused}, {@code -too-large},
     *                 {@code -unreadable}
     * @param answered whether an answer is required: then only 200 with a JSON body will do, else any 2xx, an empty
     *                 body read as {@code {}}
     */
    private Map<String, Object> call(HTTPRequest request, String accessToken, String reason, boolean answered) {
        request.setAuthorization(new BearerAccessToken(accessToken).toAuthorizationHeader());
        request.setAccept("application/json");
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        try {
            HTTPResponse response = request.send();
            int code = response.getStatusCode();
            if (answered ? code != 200 : code / 100 != 2) {
                LOG.log(Level.WARNING, "xID " + request.getURI() + " answered " + code);
                throw IdentityFailure.providerDown(reason + "-refused");
            }
            String body = Optional.ofNullable(response.getBody()).orElse("");
            if (body.length() > MOST_BYTES) {
                throw IdentityFailure.providerDown(reason + "-too-large");
            }
            return !answered && body.isBlank() ? Map.of() : com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(body);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "xID " + request.getURI() + " unreachable: " + e);
            throw IdentityFailure.providerDown(reason + "-unreachable");
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "xID " + request.getURI() + ": unreadable answer");
            throw IdentityFailure.providerDown(reason + "-unreadable");
        }
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
