package io.xfaas.bench.jmh;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.operators.Admission;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SignatureVerifier;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What signed invocations cost (docs/security.md): signing one call in the submitter, checking it
 * alone, and the scheduler's admission of a DurableQ record with {@code xfaas.security.signing} off
 * and required (the difference is the check on the hot path). The call is {@link SerdeBenchmark}'s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SigningBenchmark {
  private Invocation invocation;
  private InvocationSigner signer;
  private SignatureVerifier verifier;
  private InvocationSigner.Signature signature;
  private Admission plain;
  private Admission required;
  private RawRecord unsigned;
  private RawRecord signed;
  private long now;

  @Setup
  public void setUp() {
    now = System.currentTimeMillis();
    invocation = SerdeBenchmark.call(now);
    byte[] master = new byte[32];
    new java.util.SplittableRandom(1).nextBytes(master);
    SigningKeySource keys =
        SigningKeySource.of(SigningKeys.of(new SigningKeys.Key("k1", master, null)));
    signer =
        InvocationSigner.of(
            "tenant-4711", "k1", InvocationSignature.tenantKey(master, "tenant-4711"));
    signature = signer.sign(invocation);
    verifier = new SignatureVerifier(keys);
    InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    plain = new Admission(serde, "local");
    required = new Admission(serde, "local", keys, 86_400_000L);
    byte[] json = InvocationSerde.write(invocation);
    unsigned = new RawRecord("durableq", 0, 0, now, null, json);
    signed = new RawRecord("durableq", 0, 0, now, null, json, signature.keyId(), signature.hex());
  }

  @Benchmark
  public InvocationSigner.Signature sign() {
    return signer.sign(invocation);
  }

  @Benchmark
  public String verify() {
    return verifier.verifyInvocation(signature.keyId(), signature.hex(), invocation, now);
  }

  @Benchmark
  public Admission.Decision admitSigningOff() {
    return plain.admit(unsigned, now);
  }

  @Benchmark
  public Admission.Decision admitSigningRequired() {
    return required.admit(signed, now);
  }
}
