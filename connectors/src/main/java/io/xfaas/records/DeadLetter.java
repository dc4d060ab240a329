package io.xfaas.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record that could not be processed, kept with its original bytes on the dead-letter topic.
 *
 * @param reason machine-readable cause
 * @param detail human-readable explanation
 * @param id the invocation id, when the record carried a usable one
 * @param tenant the tenant, when known
 * @param function the function, when known
 * @param original the record as it arrived, when it was valid UTF-8
 * @param originalBase64 the record as it arrived, base64, when it was not valid UTF-8
 * @param topic where it came from
 * @param partition where it came from
 * @param offset where it came from
 * @param failedAt when it was dead-lettered
 * @param region the region that dead-lettered it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    ReasonCode reason,
    String detail,
    String id,
    String tenant,
    String function,
    String original,
    String originalBase64,
    String topic,
    int partition,
    long offset,
    long failedAt,
    String region) {}
