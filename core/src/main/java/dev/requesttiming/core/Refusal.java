package dev.requesttiming.core;

/**
 * How to answer a request that is refused before the app runs, under overload: status {@code 503},
 * a {@code Retry-After} header and a short plain-text body. {@link RequestTiming#refusal} gives it
 * to the adapter, which answers and then {@linkplain RequestTiming#finish finishes} the request.
 *
 * @param reason why, as the {@code reason} tag of {@code http.server.requests.budget.shed} says it:
 *     {@code spent}, {@code late}, {@code limit} or {@code share}
 * @param retryAfterSeconds the {@code Retry-After}: at least 1
 * @param message the body, one line ending in a new line; it names no path, query or header
 */
public record Refusal(String reason, int retryAfterSeconds, String message) {

  /** The status to answer with. */
  public static final int STATUS = 503;
}
