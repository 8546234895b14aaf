package jp.kominkan.cloud.group;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import jp.kominkan.cloud.web.MultipartParts;
import jp.kominkan.cloud.web.Problem;

/**
 * An evidence file as it arrives and leaves: from the API as the raw body, from the page as a
 * {@code multipart/form-data} form (RFC 7578) with the file in {@value #FILE} and the CSRF token in
 * {@code _csrf}, read the way {@code facility/photo/PhotoUpload} reads photos (never more than the limit
 * plus a small allowance; Jakarta Mail splits the parts). On the way out a file is always an attachment
 * with {@code nosniff} and a sandbox policy, so an upload can never run as a page of this site.
 *
 * @param bytes    the file as sent (checked later by {@link Groups#addEvidence})
 * @param fileName the name it came with, without folders; empty if none
 * @param csrf     the form's CSRF token; empty for the API
 */
public record EvidenceUpload(byte[] bytes, String fileName, String csrf) {

    /** The file field of the page's form. */
    public static final String FILE = "evidence";
    private static final int FORM_ALLOWANCE = 16 * 1024;

    /** Checks the parts. */
    public EvidenceUpload {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(csrf, "csrf");
    }

    /**
     * @param req      the API request: the file is the body, its name in the query's {@code name}
     * @param maxBytes the largest file
     * @return the upload
     */
    public static EvidenceUpload raw(ServerRequest req, long maxBytes) {
        byte[] body = bounded(req, maxBytes, maxBytes);
        return new EvidenceUpload(body, req.query().first("name").orElse(""), "");
    }

    /**
     * @param req      the page's form post
     * @param maxBytes the largest file
     * @return the upload
     */
    public static EvidenceUpload form(ServerRequest req, long maxBytes) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
            throw Problem.badRequest("not-multipart", "Send the file with the upload form (multipart/form-data).",
                    "ファイルはアップロード用のフォーム（multipart/form-data）で送信してください。");
        }
        byte[] body = bounded(req, maxBytes + FORM_ALLOWANCE, maxBytes);
        byte[] file = null;
        String name = "";
        String csrf = "";
        try {
            MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(body, type));
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                String[] disposition = part.getHeader("Content-Disposition");
                if (disposition == null || disposition.length == 0) {
                    continue;
                }
                ContentDisposition cd = new ContentDisposition(disposition[0]);
                String field = Objects.requireNonNullElse(cd.getParameter("name"), "");
                if (FILE.equals(field) && file == null) {
                    file = MultipartParts.readAll(part);
                    name = MultipartParts.utf8(Objects.requireNonNullElse(cd.getParameter("filename"), ""));
                } else if ("_csrf".equals(field) && csrf.isEmpty()) {
                    csrf = new String(MultipartParts.readAll(part), StandardCharsets.UTF_8);
                }
            }
        } catch (MessagingException e) {
            throw Problem.badRequest("unreadable-form", "The form could not be read. Reload the page and upload again.",
                    "フォームを読み取れませんでした。ページを再読み込みして、もう一度アップロードしてください。");
        }
        if (file != null && file.length > maxBytes) {
            throw Problem.tooLarge(maxBytes);
        }
        return new EvidenceUpload(file == null ? new byte[0] : file, name, csrf);
    }

    /**
     * Sends a file as a download.
     *
     * @param res  the response
     * @param file the file
     */
    public static void send(ServerResponse res, GroupRepository.EvidenceFile file) {
        Evidence e = file.evidence();
        String ascii = e.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
        res.header(HeaderNames.CONTENT_TYPE, e.mediaType());
        // RFC 6266 section 4.3: an ASCII fallback, then the real name as RFC 8187 UTF-8.
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(e.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Content-Security-Policy"), "sandbox; default-src 'none'");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(Status.OK_200).send(file.bytes());
    }

    private static byte[] bounded(ServerRequest req, long limit, long fileLimit) {
        if (req.headers().contentLength().orElse(0) > limit) {
            throw Problem.tooLarge(fileLimit);
        }
        try (InputStream in = req.content().inputStream()) {
            return MultipartParts.readAtMost(in, limit).orElseThrow(() -> Problem.tooLarge(fileLimit));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
