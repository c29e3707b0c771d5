package io.photomaker.gateway.webhook;

/**
 * One try at delivering a webhook, as kept in the job's delivery log.
 *
 * @param number position of this try among all tries of the delivery (1-based, replays included)
 * @param at epoch milliseconds when the try started
 * @param statusCode the receiver's HTTP status, 0 when no response came
 * @param outcome delivered, retry, exhausted, disabled, refused or skipped
 * @param error why the try failed, null when it succeeded
 * @param nextAttemptAt epoch milliseconds of the next try, 0 when none follows
 */
public record WebhookAttempt(int number, long at, int statusCode, String outcome, String error,
                             long nextAttemptAt) {
}
