package jp.kominkan.cloud.facility.photo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import jp.kominkan.cloud.web.MultipartParts;
import jp.kominkan.cloud.web.Problem;

/**
 * A staff photo upload: an HTML form sent as {@code multipart/form-data} (RFC 7578) with the file in
 * the field {@value #PHOTO}, its alternative text in {@value #ALT} and the form's CSRF token in
 * {@value #CSRF}.
 *
 * <p>Helidon 4.1.7's multipart media support ({@code helidon-http-media-multipart}) is not in the
 * Maven repository these machines reach, so the body is read here, never more than the photo limit
 * plus a small allowance for the other fields: a {@code Content-Length} above it is refused before a
 * byte is read, and a chunked body is cut off as soon as it passes it. The bounded body is then
 * split by Jakarta Mail's MIME parser, which the cloud already has for sending mail.
 *
 * @param bytes       the file's bytes, as sent (not yet checked: see {@link PhotoProcessor})
 * @param fileName    the file name the browser declared, without any folder; empty if none (not trusted)
 * @param contentType the content type the browser declared for the file; empty if none (not trusted)
 * @param altText     the {@value #ALT} field as typed; empty if absent
 * @param csrf        the {@value #CSRF} field; empty if absent
 * @param fields      every text field by name, the two above included (the first of repeated names)
 */
public record PhotoUpload(byte[] bytes, String fileName, String contentType, String altText, String csrf,
                          Map<String, String> fields) {

    /** The file field. */
    public static final String PHOTO = PhotoProblems.FIELD;
    /** The alternative text field. */
    public static final String ALT = "alt";
    /** The CSRF token field. */
    public static final String CSRF = "_csrf";
    /** What the body may hold besides the photo: part headers, boundaries and the text fields. */
    public static final int FORM_ALLOWANCE = 64 * 1024;

    /** Validates. */
    public PhotoUpload {
        Objects.requireNonNull(bytes);
        Objects.requireNonNull(fileName);
        Objects.requireNonNull(contentType);
        Objects.requireNonNull(altText);
        Objects.requireNonNull(csrf);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Reads the upload of a request.
     *
     * @param req      the request
     * @param maxBytes the largest photo accepted, in bytes
     * @return the upload
     * @throws Problem 400 when the body is not a form with one photo, or about {@value #PHOTO} when the
     *                 photo is missing or larger than {@code maxBytes}
     */
    public static PhotoUpload read(ServerRequest req, long maxBytes) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                || !type.toLowerCase(Locale.ROOT).contains("boundary=")) {
            throw Problem.badRequest("not-multipart",
                    "Send the photo with the upload form (multipart/form-data).",
                    "写真はアップロード用のフォーム（multipart/form-data）で送信してください。");
        }
        long limit = maxBytes + FORM_ALLOWANCE;
        if (req.headers().contentLength().orElse(0) > limit) {
            throw PhotoProblems.tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = MultipartParts.readAtMost(in, limit).orElseThrow(() -> PhotoProblems.tooLarge(maxBytes));
        } catch (IOException e) {
            throw unreadableForm();
        }
        return parse(body, type, maxBytes);
    }

    /**
     * Splits a form body already read.
     *
     * @param body        the whole body
     * @param contentType its {@code Content-Type}, with the boundary
     * @param maxBytes    the largest photo accepted
     * @return the upload
     */
    static PhotoUpload parse(byte[] body, String contentType, long maxBytes) {
        byte[] photo = null;
        String fileName = "";
        String photoType = "";
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(body, contentType));
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                String[] disposition = part.getHeader("Content-Disposition");
                if (disposition == null || disposition.length == 0) {
                    continue; // not a form field (RFC 7578 section 4.2 requires it)
                }
                ContentDisposition cd = new ContentDisposition(disposition[0]);
                String name = MultipartParts.utf8(Objects.requireNonNullElse(cd.getParameter("name"), ""));
                String declaredFile = cd.getParameter("filename");
                if (PHOTO.equals(name)) {
                    if (photo != null) {
                        throw Problem.badField(PHOTO, "Upload one photo at a time.", "写真は 1 枚ずつアップロードしてください。");
                    }
                    photo = MultipartParts.readAll(part);
                    fileName = baseName(MultipartParts.utf8(Objects.requireNonNullElse(declaredFile, "")));
                    photoType = Objects.requireNonNullElse(part.getContentType(), "");
                } else if (declaredFile == null && !fields.containsKey(name)) {
                    fields.put(name, new String(MultipartParts.readAll(part), StandardCharsets.UTF_8));
                }
            }
        } catch (MessagingException e) {
            throw unreadableForm();
        }
        // A browser sends the file field empty, with an empty file name, when no file was chosen.
        if (photo == null || (photo.length == 0 && fileName.isEmpty())) {
            throw PhotoProblems.missing();
        }
        if (photo.length > maxBytes) {
            throw PhotoProblems.tooLarge(maxBytes);
        }
        return new PhotoUpload(photo, fileName, photoType, fields.getOrDefault(ALT, ""),
                fields.getOrDefault(CSRF, ""), fields);
    }

    /** Old browsers send the whole local path. */
    private static String baseName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    private static Problem unreadableForm() {
        return Problem.badRequest("unreadable-form", "The form could not be read. Reload the page and upload again.",
                "フォームを読み取れませんでした。ページを再読み込みして、もう一度アップロードしてください。");
    }
}
