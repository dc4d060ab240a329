package io.xfaas.config;

/**
 * A typed, documented configuration key. A default may name {@code ${xfaas.region}}, which is
 * replaced by the configured region.
 */
public record XfaasOption(String key, String defaultValue, String description) {}
