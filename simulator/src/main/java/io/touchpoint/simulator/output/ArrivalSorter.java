package io.touchpoint.simulator.output;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Puts records in arrival order with bounded memory: an external merge sort. Records are buffered
 * up to a byte budget, each full buffer is sorted and spilled to a run file, and the runs are
 * merged at the end. A run that fits in memory never touches the disk.
 */
public final class ArrivalSorter implements AutoCloseable {
  public static final long DEFAULT_BUDGET_BYTES = 128L << 20;

  private final Path tempDir;
  private final long budgetBytes;
  private final List<OutRecord> buffer = new ArrayList<>();
  private final List<Path> runs = new ArrayList<>();
  private long bufferedBytes;
  private long count;

  public ArrivalSorter(Path tempDir, long budgetBytes) {
    this.tempDir = tempDir;
    this.budgetBytes = budgetBytes;
  }

  public void add(OutRecord r) {
    buffer.add(r);
    bufferedBytes += r.payload().length + r.key().length() + 64;
    count++;
    if (bufferedBytes >= budgetBytes) {
      spill();
    }
  }

  public long count() {
    return count;
  }

  public int spilledRuns() {
    return runs.size();
  }

  /** Hands every record to {@code consumer} in arrival order. */
  public void drain(RecordConsumer consumer) throws IOException {
    if (runs.isEmpty()) {
      buffer.sort(OutRecord::compare);
      for (OutRecord r : buffer) {
        consumer.accept(r);
      }
      buffer.clear();
      return;
    }
    spill();
    List<RunReader> readers = new ArrayList<>();
    try {
      PriorityQueue<RunReader> heads =
          new PriorityQueue<>((a, b) -> OutRecord.compare(a.head, b.head));
      for (Path run : runs) {
        RunReader reader = new RunReader(run);
        readers.add(reader);
        if (reader.advance()) {
          heads.add(reader);
        }
      }
      while (!heads.isEmpty()) {
        RunReader top = heads.poll();
        consumer.accept(top.head);
        if (top.advance()) {
          heads.add(top);
        }
      }
    } finally {
      for (RunReader reader : readers) {
        reader.close();
      }
    }
  }

  /** Receives sorted records; may throw I/O errors of its own sink. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(OutRecord r) throws IOException;
  }

  private void spill() {
    if (buffer.isEmpty()) {
      return;
    }
    buffer.sort(OutRecord::compare);
    try {
      Files.createDirectories(tempDir);
      Path run = Files.createTempFile(tempDir, "arrival-run-", ".bin");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (OutRecord r : buffer) {
          write(out, r);
        }
      }
      runs.add(run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill a sorted run to " + tempDir, e);
    }
    buffer.clear();
    bufferedBytes = 0;
  }

  private static void write(DataOutputStream out, OutRecord r) throws IOException {
    out.writeLong(r.arrivalMillis());
    out.writeLong(r.seq());
    out.writeUTF(r.topic());
    out.writeUTF(r.key());
    out.writeInt(r.payload().length);
    out.write(r.payload());
    OutRecord.Malformed m = r.malformed();
    out.writeBoolean(m != null);
    if (m != null) {
      out.writeUTF(m.reasonCode());
      out.writeUTF(m.kind());
      out.writeUTF(m.eventId() == null ? "" : m.eventId());
      out.writeUTF(m.sourceEventId());
    }
  }

  private static final class RunReader implements AutoCloseable {
    private final DataInputStream in;
    OutRecord head;

    RunReader(Path run) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    boolean advance() throws IOException {
      long arrival;
      try {
        arrival = in.readLong();
      } catch (EOFException end) {
        head = null;
        return false;
      }
      long seq = in.readLong();
      String topic = in.readUTF();
      String key = in.readUTF();
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      OutRecord.Malformed m = null;
      if (in.readBoolean()) {
        String reason = in.readUTF();
        String kind = in.readUTF();
        String eventId = in.readUTF();
        m = new OutRecord.Malformed(reason, kind, eventId.isEmpty() ? null : eventId, in.readUTF());
      }
      head = new OutRecord(arrival, seq, topic, key, payload, m);
      return true;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  @Override
  public void close() {
    for (Path run : runs) {
      try {
        Files.deleteIfExists(run);
      } catch (IOException ignored) {
        // a leftover temp file is harmless; the run's result is complete
      }
    }
    runs.clear();
  }
}
