package io.xfaas.scheduler.buffer;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.util.HashMap;
import java.util.Map;

/**
 * A waiting invocation as stored in the FuncBuffer's map state: a version byte, then the fields in
 * declaration order, times as varints and absent values as bits of one flags byte. It decides the
 * checkpointed bytes per buffered invocation.
 */
public final class InvocationCodec {
  static final int VERSION = 1;
  private static final int NOT_BEFORE = 1;
  private static final int DEADLINE = 2;
  private static final int PAYLOAD = 4;
  private static final int DISPATCHED_AT = 8;
  private static final Criticality[] CRITICALITIES = Criticality.values();

  private InvocationCodec() {}

  public static byte[] encode(Invocation inv) {
    int flags =
        (inv.notBefore() != null ? NOT_BEFORE : 0)
            | (inv.deadline() != null ? DEADLINE : 0)
            | (inv.payload() != null ? PAYLOAD : 0)
            | (inv.dispatchedAt() != null ? DISPATCHED_AT : 0);
    int size = 32 + inv.id().length() + (inv.payload() == null ? 0 : inv.payload().length());
    Bytes.Writer w = new Bytes.Writer(size).put(VERSION).put(flags);
    w.put(inv.criticality().ordinal()).string(inv.id()).string(inv.tenant());
    w.string(inv.function()).zigZag(inv.priority()).varLong(inv.submittedAt());
    if (inv.notBefore() != null) w.varLong(inv.notBefore());
    if (inv.deadline() != null) w.varLong(inv.deadline());
    w.varInt(inv.attempt()).varInt(inv.maxAttempts());
    if (inv.payload() != null) w.string(inv.payload());
    map(w, inv.attributes());
    if (inv.dispatchedAt() != null) w.varLong(inv.dispatchedAt());
    map(w, inv.extra());
    return w.toArray();
  }

  public static Invocation decode(byte[] bytes) {
    Bytes.Reader r = new Bytes.Reader(bytes);
    int version = r.get();
    if (version != VERSION) throw new IllegalStateException("unknown invocation layout " + version);
    int flags = r.get();
    Criticality criticality = CRITICALITIES[r.get()];
    // Java evaluates the arguments left to right: the reads follow the layout, as encode writes it.
    return new Invocation(
        r.string(), // id
        r.string(), // tenant
        r.string(), // function
        criticality,
        (int) r.zigZag(), // priority
        r.varLong(), // submittedAt
        (flags & NOT_BEFORE) != 0 ? r.varLong() : null,
        (flags & DEADLINE) != 0 ? r.varLong() : null,
        r.varInt(), // attempt
        r.varInt(), // maxAttempts
        (flags & PAYLOAD) != 0 ? r.string() : null,
        map(r), // attributes
        (flags & DISPATCHED_AT) != 0 ? r.varLong() : null,
        map(r)); // extra
  }

  private static void map(Bytes.Writer w, Map<String, String> m) {
    w.varInt(m.size());
    for (Map.Entry<String, String> e : m.entrySet()) w.string(e.getKey()).string(e.getValue());
  }

  private static Map<String, String> map(Bytes.Reader r) {
    int n = r.varInt();
    if (n == 0) return Map.of();
    Map<String, String> m = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) m.put(r.string(), r.string());
    return m;
  }
}
