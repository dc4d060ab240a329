package io.xfaas.security;

import java.io.Serializable;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the scheduler gets its {@link SigningKeys}: a file it re-reads when it changes (so that a
 * rotation needs no restart), or fixed keys (tests). Serializable with the job; the file source
 * carries the path, never the secrets.
 */
public interface SigningKeySource extends Serializable {

  /** The keys in force at {@code now} (the job's clock). */
  SigningKeys keys(long now);

  static SigningKeySource of(SigningKeys keys) {
    return now -> keys;
  }

  /**
   * The keys in {@code file}, read again every {@code reloadMs} (a few hundred bytes; the file's
   * time is too coarse on some file systems to tell a change). A file that cannot be read at first
   * fails the caller; one that becomes unreadable or malformed later leaves the last good keys in
   * force, with a warning.
   */
  static SigningKeySource file(String file, long reloadMs) {
    return new FileSource(file, reloadMs);
  }

  /** The file source; its state is rebuilt wherever it is deserialized. */
  final class FileSource implements SigningKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
    private final String file;
    private final long reloadMs;
    private transient SigningKeys keys;
    private transient long nextCheck;

    FileSource(String file, long reloadMs) {
      this.file = file;
      this.reloadMs = reloadMs;
    }

    @Override
    public SigningKeys keys(long now) {
      if (keys == null) {
        keys = SigningKeys.load(Path.of(file));
        nextCheck = now + reloadMs;
        LOG.info("Signing keys {} from {}", keys, file);
      } else if (now >= nextCheck) {
        nextCheck = now + reloadMs;
        reload();
      }
      return keys;
    }

    private void reload() {
      try {
        SigningKeys fresh = SigningKeys.load(Path.of(file));
        // The same keys stay the same object: the verifier keeps its derived keys for them.
        if (!fresh.equals(keys)) {
          LOG.info("Signing keys now {} from {}", fresh, file);
          keys = fresh;
        }
      } catch (RuntimeException e) {
        // The message names the file and the entry, never a secret.
        LOG.warn("Keeping signing keys {}: cannot reload {}: {}", keys, file, e.getMessage());
      }
    }
  }
}
