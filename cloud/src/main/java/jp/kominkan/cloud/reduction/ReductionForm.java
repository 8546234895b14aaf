package jp.kominkan.cloud.reduction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * The 減免 application form as it arrives from the page: {@code multipart/form-data} (RFC 7578) with the
 * category, the reason, the evidence file and the CSRF token, read as the group evidence upload reads its
 * form (never more than the file limit plus a small allowance). And the evidence on its way out: always an
 * attachment with {@code nosniff} and a sandbox policy, so an upload can never run as a page of this site.
 *
 * @param fields   the text fields (categoryCode, reason)
 * @param file     the evidence, if a file was chosen
 * @param csrf     the form's CSRF token
 */
public record ReductionForm(Map<String, String> fields, Optional<Reductions.Upload> file, String csrf) {

    /** The file field. */
    public static final String FILE = "evidence";
    private static final Set<String> TEXT = Set.of("categoryCode", "reason");
    private static final int FORM_ALLOWANCE = 16 * 1024;

    /** Checks the parts. */
    public ReductionForm {
        fields = Map.copyOf(fields);
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(csrf, "csrf");
    }

    /**
     * @param req the page's form post
     * @return the form
     * @throws Problem 400 when it is not a multipart form, 413 when the file is too large
     */
    public static ReductionForm read(ServerRequest req) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
            throw Problem.badRequest("not-multipart", "Send the application with its form (multipart/form-data).",
                    "申請は申請フォーム（multipart/form-data）で送信してください。");
        }
        long limit = Reductions.MAX_EVIDENCE_BYTES + FORM_ALLOWANCE;
        if (req.headers().contentLength().orElse(0) > limit) {
            drain(req);
            throw Problem.tooLarge(Reductions.MAX_EVIDENCE_BYTES);
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = MultipartParts.readAtMost(in, limit).orElseThrow(() -> Problem.tooLarge(Reductions.MAX_EVIDENCE_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> fields = new HashMap<>();
        Optional<Reductions.Upload> file = Optional.empty();
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
                if (FILE.equals(field) && file.isEmpty()) {
                    byte[] bytes = MultipartParts.readAll(part);
                    if (bytes.length > 0) {
                        file = Optional.of(new Reductions.Upload(bytes,
                                MultipartParts.utf8(Objects.requireNonNullElse(cd.getParameter("filename"), ""))));
                    }
                } else if ("_csrf".equals(field) && csrf.isEmpty()) {
                    csrf = new String(MultipartParts.readAll(part), StandardCharsets.UTF_8);
                } else if (TEXT.contains(field) && !fields.containsKey(field)) {
                    fields.put(field, new String(MultipartParts.readAll(part), StandardCharsets.UTF_8));
                }
            }
        } catch (MessagingException e) {
            throw Problem.badRequest("unreadable-form", "The form could not be read. Reload the page and send it again.",
                    "フォームを読み取れませんでした。ページを再読み込みして、もう一度送信してください。");
        }
        if (file.isPresent() && file.get().bytes().length > Reductions.MAX_EVIDENCE_BYTES) {
            throw Problem.tooLarge(Reductions.MAX_EVIDENCE_BYTES);
        }
        return new ReductionForm(fields, file, csrf);
    }

    /**
     * Sends the evidence as a download.
     *
     * @param res  the response
     * @param file the file
     */
    public static void send(ServerResponse res, ReductionRepository.EvidenceFile file) {
        String name = file.info().fileName();
        String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
        res.header(HeaderNames.CONTENT_TYPE, file.info().mediaType());
        // RFC 6266 section 4.3: an ASCII fallback, then the real name as RFC 8187 UTF-8.
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Content-Security-Policy"), "sandbox; default-src 'none'");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(Status.OK_200).send(file.bytes());
    }

    /** Reads and drops a body refused for its size, so that the client sees the 413 rather than a reset. */
    private static void drain(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // the answer is 413 either way
        }
    }
}
