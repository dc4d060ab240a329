package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownSequenceTest {
  private final StringWriter console = new StringWriter();
  private final ShutdownSequence sequence = new ShutdownSequence(new PrintWriter(console));
  private final List<String> stopped = new ArrayList<>();

  @Test
  void stopsInReverseOrderOfStarting() {
    sequence.add("broker", () -> stopped.add("broker"));
    sequence.add("cluster", () -> stopped.add("cluster"));
    sequence.add("job", () -> stopped.add("job"));

    sequence.close();

    assertThat(stopped).containsExactly("job", "cluster", "broker");
    assertThat(console.toString()).contains("stopped job", "stopped cluster", "stopped broker");
  }

  @Test
  void aFailureToStopOneThingStillStopsTheRest() {
    sequence.add("broker", () -> stopped.add("broker"));
    sequence.add(
        "job",
        () -> {
          throw new IllegalStateException("stuck");
        });

    sequence.close();

    assertThat(stopped).containsExactly("broker");
    assertThat(console.toString()).contains("failed to stop job", "stuck");
  }

  @Test
  void closesOnce() {
    sequence.add("broker", () -> stopped.add("broker"));

    assertThat(sequence.closeOnce()).isTrue();
    assertThat(sequence.closeOnce()).isFalse();
    assertThat(stopped).containsExactly("broker");
  }

  @Test
  void whatStartsAfterTheStopIsStoppedAtOnceAndTheStarterToldToGiveUp() {
    sequence.close();

    assertThatThrownBy(() -> sequence.add("sidecar", () -> stopped.add("sidecar")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sidecar");
    assertThat(stopped).containsExactly("sidecar");
  }
}
