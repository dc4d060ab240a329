package io.xfaas.sidecar;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.util.Map;

/**
 * The functions a sidecar calls over HTTP, and the bearer tokens their runtimes check.
 *
 * @param urls function name to URL ({@code xfaas.sidecar.http-functions})
 * @param tokens token by URL prefix ({@code xfaas.sidecar.http-function-tokens-file})
 */
public record RemoteFunctions(Map<String, String> urls, Map<String, String> tokens) {

  public RemoteFunctions {
    urls = Map.copyOf(urls);
    tokens = Map.copyOf(tokens);
  }

  public static RemoteFunctions from(XfaasConfig config) {
    return new RemoteFunctions(
        HttpFunction.parseList(config.get(XfaasOptions.SIDECAR_HTTP_FUNCTIONS)),
        HttpFunction.readTokens(config.get(XfaasOptions.SIDECAR_HTTP_FUNCTION_TOKENS_FILE)));
  }

  /** The token a remote function at {@code url} is called with: its longest prefix's, or null. */
  public String tokenFor(String url) {
    String best = null;
    String token = null;
    for (Map.Entry<String, String> e : tokens.entrySet()) {
      if (url.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.length())) {
        best = e.getKey();
        token = e.getValue();
      }
    }
    return token;
  }

  /** Without the tokens: they are secrets. */
  @Override
  public String toString() {
    return urls.toString();
  }
}
