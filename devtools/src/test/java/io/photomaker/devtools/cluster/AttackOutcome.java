package io.photomaker.devtools.cluster;

/**
 * What one attack got back: requests sent, answered 2xx (allowed within the limits), refused with a 4xx or 429,
 * cut off by a closed connection or reset stream, or answered 5xx. An attack is survived when nothing was a 5xx,
 * something was refused or cut off, and at most {@code allowedAccepted} requests got through.
 */
record AttackOutcome(String name, int sent, int accepted, int refused, int closed, int serverErrors,
                     int allowedAccepted, String detail) {

    /** Tallies answers one by one. */
    static final class Tally {
        private final String name;
        private final int allowedAccepted;
        private int sent;
        private int accepted;
        private int refused;
        private int closed;
        private int serverErrors;
        private final StringBuilder detail = new StringBuilder();

        Tally(String name, int allowedAccepted) {
            this.name = name;
            this.allowedAccepted = allowedAccepted;
        }

        /** One answer with {@code status}; 0 or less means the connection was closed or the stream reset. */
        synchronized Tally answer(int status) {
            sent++;
            if (status <= 0) {
                closed++;
            } else if (status >= 500) {
                serverErrors++;
            } else if (status >= 400) {
                refused++;
            } else {
                accepted++;
            }
            return this;
        }

        synchronized Tally add(int sentMore, int acceptedMore, int refusedMore, int closedMore, int serverErrorsMore) {
            sent += sentMore;
            accepted += acceptedMore;
            refused += refusedMore;
            closed += closedMore;
            serverErrors += serverErrorsMore;
            return this;
        }

        synchronized Tally note(String text) {
            detail.append(detail.length() == 0 ? "" : "; ").append(text);
            return this;
        }

        synchronized AttackOutcome outcome() {
            return new AttackOutcome(name, sent, accepted, refused, closed, serverErrors, allowedAccepted,
                    detail.toString());
        }
    }

    boolean survived() {
        return serverErrors == 0 && refused + closed > 0 && accepted <= allowedAccepted;
    }

    /** One line of the suite's report. */
    String line() {
        return String.format("%-34s sent=%-5d 2xx=%-3d refused=%-5d closed=%-5d 5xx=%d %s%s", name, sent, accepted,
                refused, closed, serverErrors, survived() ? "survived" : "FAILED", detail.isEmpty() ? ""
                        : " (" + detail + ")");
    }
}
