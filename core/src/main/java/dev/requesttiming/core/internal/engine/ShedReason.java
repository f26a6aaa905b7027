package dev.requesttiming.core.internal.engine;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Why a request was answered {@code 503} before the app ran: the {@code reason} tag of {@code
 * http.server.requests.budget.shed}.
 */
public enum ShedReason {
  /** Its budget was spent before it started ({@code shed-spent}). */
  SPENT("its budget was spent before it started", "their budget was spent before they started"),
  /** Less of its budget was left than its endpoint typically takes ({@code shed-late}). */
  LATE("it started too late to be answered in time", "they started too late to be answered in time"),
  /** Its endpoint pattern had its {@code endpoint-limits} in flight. */
  LIMIT("its endpoint has its limit of requests in flight", "their endpoint had its limit in flight"),
  /** Its endpoint held its {@code endpoint-share} of the workers while others waited. */
  SHARE("its endpoint holds its share of the workers while others wait",
      "their endpoint held its share of the workers while others waited");

  /** Every reason, in ordinal order: the order of the report's counts per reason. */
  public static final ShedReason[] ALL = values();

  private final String tag = name().toLowerCase(Locale.ROOT);
  private final String why;
  private final String whyOfMany;

  ShedReason(String why, String whyOfMany) {
    this.why = why;
    this.whyOfMany = whyOfMany;
  }

  /** The reason of a tag, e.g. {@code share}; null if none. */
  public static @Nullable ShedReason ofTag(String tag) {
    for (ShedReason reason : ALL) {
      if (reason.tag.equals(tag)) {
        return reason;
      }
    }
    return null;
  }

  /** The tag value and the word logs use: {@code spent}, {@code late}, {@code limit}, {@code share}. */
  public String tag() {
    return tag;
  }

  /** Why, in a few words, for the response's body and the logs. */
  public String why() {
    return why;
  }

  /** Why, of several requests, for the report. */
  public String whyOfMany() {
    return whyOfMany;
  }
}
