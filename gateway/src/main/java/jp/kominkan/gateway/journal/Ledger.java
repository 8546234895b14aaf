package jp.kominkan.gateway.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of records that survives {@code kill -9} and power loss: each record is
 * framed as {@code [length u32][crc32c u32][payload]}, and {@link #sync()} forces it to the disk.
 *
 * <p>On open, records are read until the first one that is incomplete or fails its checksum — a
 * write torn by a crash — and the file is cut there. A record counts as stored once {@code sync}
 * has returned after it; nothing acknowledged before a crash can be lost, and nothing half-written
 * is ever read back.
 */
public final class Ledger implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Ledger.class.getName());
    /** Largest payload accepted, so a corrupt length cannot make us allocate gigabytes. */
    public static final int MAX_RECORD = 64 * 1024;
    private static final int HEADER = 8;

    private final Path file;
    private final FileChannel channel;
    private final List<byte[]> recovered;
    private long size;

    private Ledger(Path file, FileChannel channel, List<byte[]> recovered, long size) {
        this.file = file;
        this.channel = channel;
        this.recovered = recovered;
        this.size = size;
    }

    /**
     * Opens (or creates) a ledger and reads back every intact record.
     *
     * @param file the file
     * @return the open ledger
     */
    public static Ledger open(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            List<byte[]> records = new ArrayList<>();
            long length = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (position + HEADER <= length) {
                header.clear();
                channel.read(header, position);
                header.flip();
                int recordLength = header.getInt();
                int crc = header.getInt();
                if (recordLength < 0 || recordLength > MAX_RECORD || position + HEADER + recordLength > length) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(recordLength);
                channel.read(payload, position + HEADER);
                if (checksum(payload.array()) != crc) {
                    break;
                }
                records.add(payload.array());
                position += HEADER + recordLength;
            }
            if (position < length) {
                LOG.log(Level.WARNING, "Cut " + (length - position) + " bytes of a torn write off " + file);
                channel.truncate(position);
                channel.force(true);
            }
            return new Ledger(file, channel, records, position);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file, e);
        }
    }

    /** @return the records read when the ledger was opened, oldest first */
    public List<byte[]> recovered() {
        return List.copyOf(recovered);
    }

    /**
     * Appends a record; it is durable once {@link #sync()} returns.
     *
     * @param payload the record
     */
    public synchronized void append(byte[] payload) {
        if (payload.length > MAX_RECORD) {
            throw new IllegalArgumentException("Record of " + payload.length + " bytes is over " + MAX_RECORD);
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
        buffer.putInt(payload.length).putInt(checksum(payload)).put(payload).flip();
        try {
            while (buffer.hasRemaining()) {
                size += channel.write(buffer, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + file, e);
        }
    }

    /** Forces everything appended so far to the disk. */
    public synchronized void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot sync " + file, e);
        }
    }

    /**
     * Replaces the whole ledger with these records, atomically (write a new file, sync, rename).
     *
     * @param records what to keep
     * @return the ledger holding only them
     */
    public synchronized Ledger rewrite(List<byte[]> records) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            java.nio.file.Files.deleteIfExists(next);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + next, e);
        }
        try (Ledger fresh = Ledger.open(next)) {
            records.forEach(fresh::append);
            fresh.sync();
        }
        try {
            channel.close();
            java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // not every file system lets a directory be synced
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + file, e);
        }
        return open(file);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close " + file, e);
        }
    }

    private static int checksum(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
