package io.xfaas.sidecar;

/**
 * One call of a batch.
 *
 * @param payloadJson the invocation's payload as raw JSON text, or null when it has none
 * @param context who is calling and which attempt this is
 */
public record FunctionCall(String payloadJson, CallContext context) {}
