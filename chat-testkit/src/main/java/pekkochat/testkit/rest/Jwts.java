package pekkochat.testkit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.LogSecrets;

/** JWTs made by the test, e.g. signed with the node's {@code CHAT_JWT_SECRET} but already expired. */
public final class Jwts {
    private Jwts() {
    }

    /** An HS256 JWT with {@code sub}, {@code iat}, {@code exp}. */
    public static String hs256(String sub, long iat, long exp, String secret) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        JsonNode header = Json.object().put("alg", "HS256").put("typ", "JWT");
        JsonNode payload = Json.object().put("sub", sub).put("iat", iat).put("exp", exp);
        String signingInput = b64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String jwt = signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
            LogSecrets.rememberToken(jwt);
            return jwt;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
