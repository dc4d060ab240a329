package io.xfaas.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * One node of an {@link EmbeddedKafkaCluster} in a process of its own, so that a test can {@code
 * kill -9} it. Arguments: {@code node-id port controller-port quorum-voters cluster-id log-dir
 * [key=value ...]} (broker properties). It prints {@link #READY} once its broker serves clients,
 * and stops cleanly when its standard input closes (the process that started it ended or closed
 * it), so that a parent that dies leaves no broker behind.
 */
public final class BrokerProcessMain {
  /** The line printed once the broker answers. */
  public static final String READY = "xfaas-broker-ready";

  private BrokerProcessMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 6) {
      System.err.println(
          "usage: BrokerProcessMain node-id port controller-port quorum-voters cluster-id log-dir"
              + " [key=value ...]");
      System.exit(2);
    }
    EmbeddedKafka.Builder b =
        EmbeddedKafka.builder()
            .nodeId(Integer.parseInt(args[0]))
            .port(Integer.parseInt(args[1]))
            .controllerPort(Integer.parseInt(args[2]))
            .quorumVoters(args[3])
            .clusterId(args[4])
            .logDir(Path.of(args[5]));
    for (int i = 6; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("not key=value: " + args[i]);
      b.brokerProperty(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    EmbeddedKafka broker = b.build();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    broker.start();
    System.out.println(READY + " " + broker.bootstrapServers());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Nothing is sent; the stream only tells that the parent is there.
    }
    broker.close();
    System.exit(0);
  }
}
