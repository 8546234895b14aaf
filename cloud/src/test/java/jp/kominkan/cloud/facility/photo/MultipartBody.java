package jp.kominkan.cloud.facility.photo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@code multipart/form-data} body written the way browsers write it (RFC 7578; names in raw UTF-8). */
final class MultipartBody {

    private final String boundary = "----KominkanTestBoundary7MA4YWxkTrZu0gW";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartBody field(String name, String value) {
        head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    MultipartBody file(String name, String fileName, String type, byte[] bytes) {
        head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + type + "\r\n");
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return copy.toByteArray();
    }

    private void head(String headers) {
        out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
