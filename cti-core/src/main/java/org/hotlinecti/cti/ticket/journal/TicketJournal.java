package org.hotlinecti.cti.ticket.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of opaque records in segment files {@code journal-NNNNNNNNNNNNNNNN.log}, made durable by
 * {@link FileChannel#force} with group commit: one writer thread writes every record that arrived while the previous
 * sync ran, syncs once, then completes all their futures. A record is acknowledged only after the sync.
 *
 * <p>File format: an 8-byte magic {@code HTJRNL01}, then records framed as {@code [int length][int CRC32C of
 * payload][payload]} (big-endian), then zeros. On open, every segment is read in order; a zero length followed by
 * nothing but zeros is the clean end of the segment; a record whose frame is cut short, whose length is impossible or
 * whose checksum does not match ends the replay of its segment: the valid prefix is replayed and the rest reported in
 * the {@link ReplayReport}.
 *
 * <p>Segments are filled with zeros ahead of the records (in steps of {@link #preallocationBytes}), as PostgreSQL does
 * with its WAL: a sync after an append that does not grow the file only has to write the data, not the file's size,
 * so on ext4 (data=ordered) it does not wait for a file-system journal commit that would first flush every other
 * dirty file on the disk, such as the database's.
 *
 * <p>Each record is counted as outstanding in its segment until {@link #release} says it reached the database. A
 * closed segment with nothing outstanding is deleted by {@link #deleteDrained}, after a barrier that makes the
 * database's own copy durable.
 */
final class TicketJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TicketJournal.class);

    static final byte[] MAGIC = "HTJRNL01".getBytes(StandardCharsets.US_ASCII);
    static final int FRAME_BYTES = 8;
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("journal-(\\d{16})\\.log");
    private static final int MAX_BATCH_RECORDS = 8192;
    private static final int MAX_PREALLOCATION_BYTES = 4 * 1024 * 1024;
    private static final long PREPARE_PAUSE_MILLIS = 10;

    /** A record read back on open. */
    record Replayed(long segment, byte[] payload) {
    }

    private record Append(byte[] payload, CompletableFuture<Long> done) {
    }

    private static final class Segment {
        final long id;
        final Path path;
        long outstanding;
        boolean closed;

        Segment(long id, Path path) {
            this.id = id;
            this.path = path;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final ReplayReport report;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Map<Long, Segment> segments = new TreeMap<>();
    private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private volatile boolean closing;

    // writer thread only
    private FileChannel channel;
    private Segment current;
    /** Bytes of the current segment holding the header and records. */
    private long size;
    /** Bytes of the current segment on disk (records, then zeros). */
    private long allocated;
    /** Set while the writer waits for a preparation: it then ends at once. */
    private volatile boolean hurry;
    /** The next segment, being prepared; null when none is. */
    private CompletableFuture<Prepared> next;
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ticket-journal-preparer");
        t.setDaemon(true);
        return t;
    });

    private TicketJournal(Path dir, long segmentBytes, ReplayReport report, long nextSegment) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.report = report;
        startSegment(nextSegment);
        this.writer = new Thread(this::writeLoop, "ticket-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}, hands every valid record of the existing segments to
     * {@code replay} in order (each counts as outstanding until released), and starts a new segment for appends.
     */
    static TicketJournal open(Path dir, long segmentBytes, Consumer<Replayed> replay) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "journal-*.log")) {
            stream.forEach(files::add);
        }
        files.removeIf(p -> !SEGMENT_NAME.matcher(p.getFileName().toString()).matches());
        files.sort(null);
        long records = 0;
        long damagedRecords = 0;
        long damagedBytes = 0;
        List<String> problems = new ArrayList<>();
        Map<Long, Segment> found = new TreeMap<>();
        long last = 0;
        for (Path file : files) {
            Matcher m = SEGMENT_NAME.matcher(file.getFileName().toString());
            m.matches();
            Segment segment = new Segment(Long.parseLong(m.group(1)), file);
            segment.closed = true;
            last = Math.max(last, segment.id);
            byte[] bytes = Files.readAllBytes(file);
            int pos = 0;
            String problem = null;
            if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                problem = "no journal header (file of " + bytes.length + " bytes)";
            } else {
                pos = MAGIC.length;
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                CRC32C crc = new CRC32C();
                while (pos < bytes.length) {
                    if (zerosFrom(bytes, pos)) {
                        break;
                    }
                    if (bytes.length - pos < FRAME_BYTES) {
                        problem = "record frame cut short";
                        break;
                    }
                    int length = buf.getInt(pos);
                    int expected = buf.getInt(pos + 4);
                    if (length <= 0 || length > MAX_RECORD_BYTES) {
                        problem = "impossible record length " + length;
                        break;
                    }
                    if (bytes.length - pos - FRAME_BYTES < length) {
                        problem = "record of " + length + " bytes cut short";
                        break;
                    }
                    crc.reset();
                    crc.update(bytes, pos + FRAME_BYTES, length);
                    if ((int) crc.getValue() != expected) {
                        problem = "checksum mismatch on a record of " + length + " bytes";
                        break;
                    }
                    replay.accept(new Replayed(segment.id,
                            Arrays.copyOfRange(bytes, pos + FRAME_BYTES, pos + FRAME_BYTES + length)));
                    segment.outstanding++;
                    records++;
                    pos += FRAME_BYTES + length;
                }
            }
            if (problem != null) {
                damagedRecords++;
                damagedBytes += bytes.length - pos;
                String line = String.format(Locale.ROOT, "%s at offset %d: %s; %d byte(s) after it not replayed",
                        file.getFileName(), pos, problem, bytes.length - pos);
                problems.add(line);
                LOG.warn("Ticket journal damaged: {} (the valid records before it are replayed)", line);
            }
            found.put(segment.id, segment);
        }
        ReplayReport report = new ReplayReport(files.size(), records, damagedRecords, damagedBytes, problems);
        if (!files.isEmpty()) {
            LOG.info("Ticket journal {}: {} segment(s), {} record(s) replayed, {} damaged region(s)", dir,
                    files.size(), records, damagedRecords);
        }
        TicketJournal journal = new TicketJournal(dir, segmentBytes, report, last + 1);
        synchronized (journal.lock) {
            journal.segments.putAll(found);
        }
        return journal;
    }

    private static boolean zerosFrom(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    ReplayReport replayReport() {
        return report;
    }

    /**
     * Appends a record. The future completes with the record's segment once the record is on disk (after fsync),
     * or fails if it could not be written (then it is not in the journal).
     */
    CompletableFuture<Long> append(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a journal record holds 1.." + MAX_RECORD_BYTES + " bytes, not "
                    + payload.length);
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IllegalStateException("the ticket journal is closed"));
            return done;
        }
        queue.add(new Append(payload, done));
        return done;
    }

    /** One record of {@code segment} is in the database now. */
    void release(long segment) {
        synchronized (lock) {
            Segment s = segments.get(segment);
            if (s != null && s.outstanding > 0) {
                s.outstanding--;
            }
        }
    }

    /**
     * Deletes closed segments whose records are all in the database, after {@code barrier} (which makes the
     * database's copy durable) returned normally.
     *
     * @return the number of segments deleted
     */
    int deleteDrained(Runnable barrier) {
        List<Segment> done = new ArrayList<>();
        synchronized (lock) {
            for (Segment s : segments.values()) {
                if (s.closed && s.outstanding == 0) {
                    done.add(s);
                }
            }
        }
        if (done.isEmpty()) {
            return 0;
        }
        barrier.run();
        for (Segment s : done) {
            try {
                Files.deleteIfExists(s.path);
                synchronized (lock) {
                    segments.remove(s.id);
                }
            } catch (IOException e) {
                LOG.warn("Cannot delete drained journal segment {}: {}", s.path, e.toString());
            }
        }
        return done.size();
    }

    long fsyncs() {
        return fsyncs.get();
    }

    long appended() {
        return appended.get();
    }

    /** Segment files on disk, the one being written included. */
    int segmentCount() {
        synchronized (lock) {
            return segments.size();
        }
    }

    /** Records on disk not yet released. */
    long outstanding() {
        synchronized (lock) {
            return segments.values().stream().mapToLong(s -> s.outstanding).sum();
        }
    }

    /** Writes and syncs what was appended before, then stops. Records stay on disk for the next open. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Append late; (late = queue.poll()) != null; ) {
            late.done.completeExceptionally(new IllegalStateException("the ticket journal is closed"));
        }
        if (next != null) {
            // an unused prepared segment holds no records: it would only be replayed as empty
            next.thenAccept(this::discard);
            next = null;
        }
        preparer.shutdown();
        synchronized (lock) {
            if (current != null) {
                current.closed = true;
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Cannot close journal segment {}: {}", current.path, e.toString());
        }
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        while (true) {
            Append first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH_RECORDS - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Append> batch) {
        try {
            maybeRotate();
            int total = 0;
            for (Append a : batch) {
                total += FRAME_BYTES + a.payload.length;
            }
            ByteBuffer buf = ByteBuffer.allocate(total);
            CRC32C crc = new CRC32C();
            for (Append a : batch) {
                crc.reset();
                crc.update(a.payload);
                buf.putInt(a.payload.length).putInt((int) crc.getValue()).put(a.payload);
            }
            buf.flip();
            if (size + total > allocated) {
                preallocate(size + total);
            }
            long at = size;
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            channel.force(false);
            fsyncs.incrementAndGet();
            size += total;
            synchronized (lock) {
                current.outstanding += batch.size();
            }
            appended.addAndGet(batch.size());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot write {} record(s) to the ticket journal {}: {}", batch.size(), current.path,
                    e.toString());
            recoverFromFailedWrite();
            for (Append a : batch) {
                a.done.completeExceptionally(e);
            }
            return;
        }
        long segment = current.id;
        for (Append a : batch) {
            a.done.complete(segment);
        }
    }

    /**
     * Later records must not follow a half-written batch (the replay would stop at it): they go to a new segment.
     * The failed one keeps its acknowledged records, and its damaged end is reported when it is replayed.
     */
    private void recoverFromFailedWrite() {
        try {
            closeCurrent();
            startSegment(current.id + 1);
        } catch (IOException again) {
            LOG.error("Cannot start a new ticket journal segment: {}", again.toString());
        }
    }

    /** Writes zeros up to at least {@code needed} bytes, in steps, and syncs them with the file's new size. */
    private void preallocate(long needed) throws IOException {
        long step = preallocationBytes();
        long target = Math.max(needed, allocated + step);
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(step, 1024 * 1024));
        long at = allocated;
        while (at < target) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), target - at));
            at += channel.write(zeros, at);
        }
        channel.force(true);
        allocated = at;
    }

    /** A quarter of a segment, at most 4 MB. */
    long preallocationBytes() {
        return Math.max(4096, Math.min(MAX_PREALLOCATION_BYTES, segmentBytes / 4));
    }

    private void maybeRotate() throws IOException {
        boolean full = size >= segmentBytes;
        boolean drainedAndSizeable;
        synchronized (lock) {
            drainedAndSizeable = current.outstanding == 0 && size >= segmentBytes / 16;
        }
        if (full || drainedAndSizeable) {
            closeCurrent();
            startSegment(current.id + 1);
        }
    }

    private void closeCurrent() throws IOException {
        synchronized (lock) {
            current.closed = true;
        }
        channel.close();
    }

    private void startSegment(long id) throws IOException {
        Prepared ready = takePrepared(id);
        Path path = segmentPath(id);
        FileChannel ch;
        long onDisk;
        if (ready != null) {
            ch = ready.channel();
            onDisk = ready.allocated();
        } else {
            ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                ch.write(ByteBuffer.wrap(MAGIC));
                ch.force(true);
                syncDirectory();
            } catch (IOException e) {
                ch.close();
                Files.deleteIfExists(path);
                throw e;
            }
            onDisk = MAGIC.length;
        }
        Segment segment = new Segment(id, path);
        synchronized (lock) {
            segments.put(id, segment);
        }
        channel = ch;
        current = segment;
        size = MAGIC.length;
        allocated = onDisk;
        prepareNext(id + 1);
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format(Locale.ROOT, "journal-%016d.log", id));
    }

    /** A segment made ready ahead of use: header, then zeros to a full segment, all synced with its name. */
    private record Prepared(long id, FileChannel channel, long allocated) {
    }

    /**
     * The prepared segment {@code id}; a preparation still running is cut short (the writer extends the file as it
     * goes). Null when there is none or it failed: the writer then creates the segment itself.
     */
    private Prepared takePrepared(long id) {
        CompletableFuture<Prepared> next = this.next;
        this.next = null;
        if (next == null) {
            return null;
        }
        hurry = true;
        try {
            Prepared p = next.join();
            if (p.id() == id) {
                return p;
            }
            discard(p);
            return null;
        } catch (CompletionException e) {
            return null;
        } finally {
            hurry = false;
        }
    }

    /**
     * Zero-fills the next segment in the background, so that rotating costs the writer no file creation, no size
     * change and no directory sync, each of which could make a sync wait for the file system's journal. Written in
     * 1 MB steps, each synced, with short pauses, so that the fill does not crowd out the writer's own syncs.
     */
    private void prepareNext(long id) {
        if (closing) {
            return;
        }
        long target = segmentBytes + preallocationBytes();
        next = CompletableFuture.supplyAsync(() -> {
            Path path = segmentPath(id);
            try {
                FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    ch.write(ByteBuffer.wrap(MAGIC), 0);
                    ByteBuffer zeros = ByteBuffer.allocate(1024 * 1024);
                    long at = MAGIC.length;
                    while (at < target && !closing && !hurry) {
                        zeros.clear();
                        zeros.limit((int) Math.min(zeros.capacity(), target - at));
                        at += ch.write(zeros, at);
                        ch.force(true);
                        Thread.sleep(PREPARE_PAUSE_MILLIS);
                    }
                    syncDirectory();
                    return new Prepared(id, ch, at);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    ch.close();
                    Files.deleteIfExists(path);
                    throw e;
                }
            } catch (IOException | InterruptedException e) {
                LOG.debug("Cannot prepare journal segment {} ahead: {}", path, e.toString());
                throw new CompletionException(e);
            }
        }, preparer);
    }

    private void discard(Prepared p) {
        try {
            p.channel().close();
            Files.deleteIfExists(segmentPath(p.id()));
        } catch (IOException e) {
            LOG.debug("Cannot remove unused journal segment {}: {}", p.id(), e.toString());
        }
    }

    /** A new file's directory entry must reach the disk too, or the file may vanish with the records in it. */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the file's own sync is all there is then
            LOG.debug("Cannot sync directory {}: {}", dir, e.toString());
        }
    }
}
