package io.touchpoint.streaming.pipeline;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A validated touch in the form the attribution query carries it through its first shuffle and
 * holds it in match-key state: the {@link Touchpoint} record's values in field order, without the
 * JSON's member names and with times as numbers (a bench touch: ~745 bytes of JSON, ~430 here).
 * Decoding builds the record directly, so a touch is parsed once (by the validator), not again when
 * a candidate reads it.
 *
 * <p>An encoded touch starts with {@link #FORMAT}, a byte JSON never starts with, so {@link
 * #decode} also reads the raw JSON that state written by earlier versions holds (the upgrade needs
 * no migration). Exact: every value round-trips, including strings with any UTF-16 content.
 */
public final class TouchCodec {
  /** First byte of an encoded touch (JSON starts with '{' or whitespace). */
  static final byte FORMAT = 1;

  private static final EventType[] TYPES = EventType.values();

  private TouchCodec() {}

  public static byte[] encode(Touchpoint t) {
    Writer w = new Writer();
    w.out(FORMAT);
    w.string(t.eventId());
    w.out(t.eventType() == null ? -1 : t.eventType().ordinal());
    w.string(t.appId());
    w.instant(t.eventTime());
    w.instant(t.receivedAt());
    Device d = t.device();
    w.out(d == null ? 0 : 1);
    if (d != null) {
      w.string(d.advertisingId());
      w.string(d.vendorId());
      w.string(d.ip());
      w.string(d.userAgent());
      w.string(d.platform());
      w.string(d.osVersion());
      w.string(d.country());
    }
    w.string(t.mediaSource());
    w.string(t.campaignId());
    w.string(t.campaign());
    w.string(t.adset());
    w.string(t.ad());
    w.string(t.siteId());
    w.string(t.clickId());
    w.out(t.retargeting() ? 1 : 0);
    w.string(t.costModel());
    w.out(t.costValue() == null ? 0 : 1);
    if (t.costValue() != null) {
      w.fixed(Double.doubleToRawLongBits(t.costValue()));
    }
    w.string(t.costCurrency());
    return w.bytes();
  }

  /** An encoded touch, or a touch's contract JSON (state written before the compact form). */
  public static Touchpoint decode(byte[] b) {
    if (b.length == 0 || b[0] != FORMAT) {
      return ContractJson.fromJson(b, Touchpoint.class);
    }
    Reader r = new Reader(b, 1);
    String eventId = r.string();
    int type = r.in();
    String appId = r.string();
    Instant eventTime = r.instant();
    Instant receivedAt = r.instant();
    Device device =
        r.in() == 0
            ? null
            : new Device(
                r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string());
    String mediaSource = r.string();
    String campaignId = r.string();
    String campaign = r.string();
    String adset = r.string();
    String ad = r.string();
    String siteId = r.string();
    String clickId = r.string();
    boolean retargeting = r.in() == 1;
    String costModel = r.string();
    Double costValue = r.in() == 0 ? null : Double.longBitsToDouble(r.fixed());
    String costCurrency = r.string();
    return new Touchpoint(
        eventId,
        type < 0 ? null : TYPES[type],
        appId,
        eventTime,
        receivedAt,
        device,
        mediaSource,
        campaignId,
        campaign,
        adset,
        ad,
        siteId,
        clickId,
        retargeting,
        costModel,
        costValue,
        costCurrency);
  }

  /** Several touches (encoded or JSON) in one value: each preceded by its length. */
  public static final class ListWriter {
    private final Writer w = new Writer();
    private int count;

    public void add(byte[] touch) {
      w.varint(touch.length);
      w.raw(touch);
      count++;
    }

    public int count() {
      return count;
    }

    public byte[] bytes() {
      return w.bytes();
    }
  }

  /** Decodes each touch of a {@link ListWriter}'s value. */
  public static void forEach(byte[] list, Consumer<Touchpoint> each) {
    Reader r = new Reader(list, 0);
    while (r.pos < list.length) {
      int n = (int) r.varint();
      each.accept(decode(Arrays.copyOfRange(list, r.pos, r.pos + n)));
      r.pos += n;
    }
  }

  /** Growing byte buffer; strings: varint (length << 1 | wide) + 1, 0 = null. */
  private static final class Writer {
    private byte[] buf = new byte[512];
    private int pos;

    void out(int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    void raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void fixed(long v) {
      ensure(8);
      for (int i = 56; i >= 0; i -= 8) {
        buf[pos++] = (byte) (v >>> i);
      }
    }

    void instant(Instant t) {
      if (t == null) {
        out(0);
        return;
      }
      out(1);
      fixed(t.getEpochSecond());
      varint(t.getNano());
    }

    void string(String s) {
      if (s == null) {
        varint(0);
        return;
      }
      int n = s.length();
      boolean wide = false;
      for (int i = 0; i < n && !wide; i++) {
        wide = s.charAt(i) > 0x7F;
      }
      varint((((long) n << 1) | (wide ? 1 : 0)) + 1);
      ensure(wide ? 2 * n : n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (wide) {
          buf[pos++] = (byte) (c >>> 8);
        }
        buf[pos++] = (byte) c;
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
      if (pos + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
      }
    }
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    int in() {
      return b[pos++];
    }

    long varint() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
    }

    long fixed() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos++] & 0xFF);
      }
      return v;
    }

    Instant instant() {
      if (in() == 0) {
        return null;
      }
      long seconds = fixed();
      return Instant.ofEpochSecond(seconds, varint());
    }

    String string() {
      long h = varint();
      if (h == 0) {
        return null;
      }
      int n = (int) ((h - 1) >>> 1);
      if (((h - 1) & 1) == 0) {
        String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
      }
      char[] c = new char[n];
      for (int i = 0; i < n; i++) {
        c[i] = (char) (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
        pos += 2;
      }
      return new String(c);
    }
  }
}
