package io.xfaas.cli;

import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code xfaas keys new|tenant|sign}: the keys of signed invocations (docs/security.md). Nothing
 * here touches Kafka; keys are printed to stdout only, for a file only their owner can read.
 */
@Command(
    name = "keys",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Makes the keys of signed invocations: a scheduler master secret, a tenant's key derived"
          + " from it, and signature headers for Kafka's console producer."
    },
    subcommands = {KeysCommand.New.class, KeysCommand.Tenant.class, KeysCommand.Sign.class})
final class KeysCommand extends SubcommandsOnly {

  /** A keys subcommand: it prints to the command line's out and err, flushed when it returns. */
  abstract static class KeysSubcommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        return run(out, err);
      } finally {
        out.flush();
        err.flush();
      }
    }

    abstract int run(PrintWriter out, PrintWriter err) throws Exception;
  }

  @Command(
      name = "new",
      description = {
        "Prints a new master secret as a line of the scheduler's signing keys file"
            + " (key.ID=64 hex digits, from SecureRandom)."
      })
  static final class New extends KeysSubcommand {
    @Option(names = "--key-id", required = true, paramLabel = "ID", description = "The key id.")
    String keyId;

    @Override
    int run(PrintWriter out, PrintWriter err) {
      byte[] secret = new byte[SigningKeys.MIN_SECRET_BYTES];
      new SecureRandom().nextBytes(secret);
      // Checks the id as the scheduler will.
      SigningKeys.of(new SigningKeys.Key(keyId, secret, null));
      out.println("key." + keyId + "=" + HexFormat.of().formatHex(secret));
      return 0;
    }
  }

  @Command(
      name = "tenant",
      description = {
        "Prints a tenant's line of a tenant keys file (TENANT=KEY_ID:HEX_KEY), derived from the"
            + " scheduler's signing keys file: what the tenant's submitters sign with."
      })
  static final class Tenant extends KeysSubcommand {
    @Option(
        names = "--signing-keys",
        required = true,
        paramLabel = "FILE",
        description = "The scheduler's signing keys file.")
    Path signingKeys;

    @Option(names = "--tenant", required = true, paramLabel = "NAME", description = "The tenant.")
    String tenant;

    @Option(
        names = "--key-id",
        paramLabel = "ID",
        description = "The key to derive from; by default the one key not being retired.")
    String keyId;

    @Override
    int run(PrintWriter out, PrintWriter err) {
      SigningKeys keys = SigningKeys.load(signingKeys);
      SigningKeys.Key key = keyId == null ? keys.current() : keys.get(keyId);
      if (key == null) {
        throw new ParameterException(spec.commandLine(), "no key " + keyId + " in " + signingKeys);
      }
      out.println(
          InvocationSigner.keyLine(
              tenant, key.id(), InvocationSignature.tenantKey(key.secret(), tenant)));
      return 0;
    }
  }

  @Command(
      name = "sign",
      description = {
        "Reads invocations, one JSON object a line, and prints each as"
            + " xfaas-key-id:ID,xfaas-signature:HEX<TAB>JSON, for kafka-console-producer with"
            + " --property parse.headers=true. Each line must carry id and submittedAt, as sent."
      })
  static final class Sign extends KeysSubcommand {
    @Mixin InvocationLinesOption input;

    @Option(
        names = "--tenant-keys",
        required = true,
        paramLabel = "FILE",
        description = "A tenant keys file (xfaas keys tenant).")
    Path tenantKeys;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
      InvocationSigner signer = InvocationSigner.load(tenantKeys);
      InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
      int failed = 0;
      BufferedReader in = input.open();
      String line;
      for (int n = 1; (line = in.readLine()) != null; n++) {
        if (line.isBlank()) continue;
        String why = null;
        ParseResult parsed =
            serde.parse(line.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        InvocationSigner.Signature s = null;
        if (parsed instanceof ParseResult.Rejected r) {
          why = r.reason() + ": " + r.detail();
        } else if (parsed instanceof ParseResult.Accepted a) {
          if (line.contains("\"submittedAt\"")) s = signer.sign(a.invocation());
          else why = "no submittedAt: the signature covers it, so it must be sent";
        } else if (parsed instanceof ParseResult.Cancel c) {
          s = signer.signCancel(c.tenant(), c.id());
        }
        if (why == null && s == null) why = "no key for its tenant in " + tenantKeys;
        if (why != null) {
          failed++;
          err.println("line " + n + ": " + why);
          continue;
        }
        // The console producer sends the text after the tab as it is: the signed payload text.
        out.println(
            InvocationSignature.KEY_ID_HEADER
                + ":"
                + s.keyId()
                + ","
                + InvocationSignature.SIGNATURE_HEADER
                + ":"
                + s.hex()
                + "\t"
                + line);
      }
      return failed > 0 ? 1 : 0;
    }
  }
}
