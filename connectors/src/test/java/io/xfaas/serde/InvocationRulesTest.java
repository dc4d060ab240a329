package io.xfaas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationRulesTest {
  /** The contract's name rule, as the regex the docs give. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "Z9",
        "tenant-1",
        "fn.v2",
        "ns:fn_x",
        "0",
        "a-",
        "",
        "-a",
        ".a",
        "_",
        "a b",
        "a/b",
        "é",
        "a\u0000",
        "a+",
        "tenant@x",
        "A.B:C_D-E"
      })
  void theNameCheckAcceptsWhatTheContractsPatternAccepts(String name) {
    assertThat(InvocationRules.isName(name)).isEqualTo(NAME.matcher(name).matches());
  }

  @Test
  void everyAsciiCharacterIsJudgedLikeThePattern() {
    for (char c = 0; c < 128; c++) {
      for (String s : new String[] {String.valueOf(c), "a" + c}) {
        assertThat(InvocationRules.isName(s)).as("%s", s).isEqualTo(NAME.matcher(s).matches());
      }
    }
  }
}
