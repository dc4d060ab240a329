package io.xfaas.faults;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.fs.local.LocalRecoverableWriter;

/**
 * The local file system under the scheme {@code flaky:}, which refuses to create a checkpoint's
 * metadata file while {@link #failing} is on: durable checkpoint storage that stops completing
 * checkpoints, as a full disk or a lost object store would, while every task still takes its
 * snapshots (a task that cannot write its own state fails at once, whatever the bound). The
 * JobManager runs in the test's JVM, so the switch reaches it.
 */
final class FlakyFileSystem extends LocalFileSystem {
  static final String SCHEME = "flaky";

  /** The file that completes a checkpoint (Flink's AbstractFsCheckpointStorageAccess). */
  private static final String METADATA = "_metadata";

  private static final AtomicBoolean FAILING = new AtomicBoolean();
  private static final AtomicLong REFUSED = new AtomicLong();

  /** Makes every checkpoint's metadata fail to be written (true) or work again (false). */
  static void failing(boolean on) {
    FAILING.set(on);
  }

  /** Metadata files refused so far. */
  static long refused() {
    return REFUSED.get();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public FSDataOutputStream create(Path filePath, WriteMode overwrite) throws IOException {
    if (FAILING.get() && filePath.getName().equals(METADATA)) {
      REFUSED.incrementAndGet();
      throw new IOException("flaky file system: refusing to create " + filePath);
    }
    return super.create(filePath, overwrite);
  }

  /**
   * None: Flink then writes checkpoint metadata with {@link #create}, which this file system can
   * refuse (with a recoverable writer it would write the file directly).
   */
  @Override
  public LocalRecoverableWriter createRecoverableWriter() {
    throw new UnsupportedOperationException("the flaky file system has no recoverable writer");
  }

  /** Found by Flink's FileSystem through META-INF/services on the test classpath. */
  public static final class Factory implements FileSystemFactory {
    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public FileSystem create(URI fsUri) {
      return new FlakyFileSystem();
    }
  }
}
