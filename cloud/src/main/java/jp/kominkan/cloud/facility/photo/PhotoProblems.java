package jp.kominkan.cloud.facility.photo;

import jp.kominkan.cloud.web.Problem;

/**
 * What a member of staff is told when a photo is refused, in one place so that the upload reader
 * and the processor say the same thing. Every message says what to do next.
 */
final class PhotoProblems {

    /** The form field the photo comes in; every photo problem names it. */
    static final String FIELD = "photo";

    private PhotoProblems() {
    }

    static Problem missing() {
        return Problem.badField(FIELD, "Choose a photo to upload.", "アップロードする写真を選んでください。");
    }

    static Problem empty() {
        return Problem.badField(FIELD, "The photo file is empty. Choose the photo again.",
                "写真のファイルが空です。もう一度選び直してください。");
    }

    // A 400 with the field rather than Problem.tooLarge (413 without a field): the upload form shows
    // it next to the photo, with the limit in megabytes a person can relate to the file's size.
    static Problem tooLarge(long maxBytes) {
        String size = size(maxBytes);
        return Problem.badField(FIELD,
                "The photo is larger than " + size + ". Make it smaller (about 2000 pixels on the long side is"
                        + " plenty) and upload it again.",
                "写真のファイルが " + size + " を超えています。小さくして（長い辺 2000 ピクセル程度で十分です）"
                        + "もう一度アップロードしてください。");
    }

    /**
     * @param whatItIs         what the content really is ("a PDF document")
     * @param whatItIsJapanese the same in Japanese
     * @param namedAsImage     whether its name or declared type claimed an image: then say that renaming
     *                         does not convert
     */
    static Problem notAccepted(String whatItIs, String whatItIsJapanese, boolean namedAsImage) {
        return Problem.badField(FIELD,
                "This file is " + whatItIs + ", which is not accepted as a photo."
                        + (namedAsImage ? " Its name says image, but renaming a file does not change its content." : "")
                        + " Upload a JPEG, PNG or WebP image.",
                "このファイルは" + whatItIsJapanese + "で、写真としては受け付けられません。"
                        + (namedAsImage ? "ファイル名を変えても中身は変わりません。" : "")
                        + "JPEG・PNG・WebP の画像をアップロードしてください。");
    }

    static Problem unknownFormat(boolean namedAsImage) {
        return Problem.badField(FIELD,
                "This file is not a JPEG, PNG or WebP image"
                        + (namedAsImage ? " (its name says image, but renaming a file does not change its content)" : "")
                        + ". Save the photo in one of these formats and upload it again.",
                "このファイルは JPEG・PNG・WebP の画像ではありません。"
                        + (namedAsImage ? "ファイル名を変えても中身は変わりません。" : "")
                        + "いずれかの形式で保存してから、もう一度アップロードしてください。");
    }

    static Problem heic() {
        return Problem.badField(FIELD,
                "HEIC/AVIF photos (the iPhone's default) are not accepted. Export or save the photo as JPEG and upload"
                        + " it again.",
                "HEIC・AVIF 形式の写真（iPhone の標準形式）は受け付けていません。JPEG で書き出してからもう一度アップロードしてください。");
    }

    static Problem tooManyPixels(int width, int height, int maxSide, long maxPixels) {
        return Problem.badField(FIELD,
                "The photo is " + width + " × " + height + " pixels; at most " + maxSide + " pixels per side and "
                        + maxPixels / 1_000_000 + " megapixels are accepted. Make it smaller and upload it again.",
                "写真が " + width + " × " + height + " ピクセルあります。一辺 " + maxSide + " ピクセル・合計 "
                        + maxPixels / 1_000_000 + " メガピクセルまでです。小さくしてからもう一度アップロードしてください。");
    }

    static Problem unreadable() {
        return Problem.badField(FIELD,
                "The photo could not be read: the file seems damaged or incomplete. Open it, save it again as JPEG"
                        + " or PNG, and upload it again.",
                "写真を読み取れませんでした。ファイルが壊れているか、途中までしかありません。画像を開いて JPEG か PNG で"
                        + "保存し直し、もう一度アップロードしてください。");
    }

    static Problem altText(int maxLength) {
        return Problem.badField("alt",
                "Describe the photo in a few words (at most " + maxLength + " characters), for people who cannot see"
                        + " it.",
                "写真を見られない方のために、写真の内容を短く説明してください（" + maxLength + " 文字まで）。");
    }

    /** "5 MB", "1.5 MB", "500 KB": how a file manager shows sizes. */
    private static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return Math.max(1, bytes / 1024) + " KB";
        }
        long tenths = Math.round(bytes * 10.0 / (1024 * 1024));
        return (tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10)) + " MB";
    }
}
