package io.xfaas.scheduler.buffer;

import io.xfaas.records.TenantSettings;

/** A tenant's new settings from the config topic; {@code settings} null when they were removed. */
public record TenantConfigUpdate(String tenant, TenantSettings settings) {}
