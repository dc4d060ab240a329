package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP protocol's answers and the function list, without a server. */
class HttpFunctionTest {
  private static final List<FunctionCall> CALLS =
      List.of(call("a"), call("b"), call("c"), call("d"), call("e"));

  @Test
  void eachResultIsMatchedByIdAndCarriesItsSignal() {
    String body =
        """
        {"results": [
          {"id": "e", "ok": false, "error": "gone"},
          {"id": "a", "ok": true, "result": {"x": [1, 2]}},
          {"id": "b", "ok": false, "error": "bad input", "retryable": false},
          {"id": "c", "ok": false, "error": "busy", "retryable": true, "throttled": true}
        ]}""";

    List<CallResult> r = HttpFunction.HttpProtocol.results(CALLS, body);

    assertThat(r.get(0)).isEqualTo(CallResult.ok("{\"x\":[1,2]}"));
    assertThat(r.get(1)).isEqualTo(CallResult.error("bad input", false));
    assertThat(r.get(2)).isEqualTo(CallResult.throttled("busy"));
    assertThat(r.get(3).kind()).as("left out").isEqualTo(CallResult.Kind.ERROR);
    assertThat(r.get(4)).as("retryable by default").isEqualTo(CallResult.error("gone", true));
  }

  @Test
  void anAnswerOutsideTheProtocolFailsEveryCallRetryably() {
    assertThat(HttpFunction.HttpProtocol.results(CALLS, "<html>"))
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(CallResult.Kind.ERROR));
    assertThat(HttpFunction.HttpProtocol.results(CALLS, "{\"results\": 3}"))
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(CallResult.Kind.ERROR));
  }

  @Test
  void functionsAreListedAsNameEqualsUrl() {
    assertThat(HttpFunction.parseList(" a=http://h:1/functions/a , b=https://h/b,"))
        .containsExactly(Map.entry("a", "http://h:1/functions/a"), Map.entry("b", "https://h/b"));
    assertThat(HttpFunction.parseList("")).isEmpty();
    assertThatThrownBy(() -> HttpFunction.parseList("a=ftp://h")).hasMessageContaining("a=ftp");
    assertThatThrownBy(() -> HttpFunction.parseList("a=http://x,a=http://y"))
        .hasMessageContaining("twice");
  }

  private static FunctionCall call(String id) {
    return new FunctionCall(null, new CallContext(id, "t", "f", 1, 3, Map.of()));
  }
}
