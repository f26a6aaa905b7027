package dev.requesttiming.core.internal.config;

/** The standard HTTP methods; anything else (including lower case) is {@link #UNKNOWN}, as in Micrometer. */
public enum HttpMethod {
  GET,
  HEAD,
  POST,
  PUT,
  PATCH,
  DELETE,
  OPTIONS,
  TRACE,
  CONNECT,
  UNKNOWN;

  public static final HttpMethod[] ALL = values();

  public static HttpMethod of(String method) {
    return switch (method) {
      case "GET" -> GET;
      case "HEAD" -> HEAD;
      case "POST" -> POST;
      case "PUT" -> PUT;
      case "PATCH" -> PATCH;
      case "DELETE" -> DELETE;
      case "OPTIONS" -> OPTIONS;
      case "TRACE" -> TRACE;
      case "CONNECT" -> CONNECT;
      default -> UNKNOWN;
    };
  }

  /** Parses a method named in configuration, where any case is accepted. */
  public static HttpMethod parse(String parameter, String text) {
    HttpMethod method = of(text.toUpperCase(java.util.Locale.ROOT));
    if (method == UNKNOWN) {
      throw new IllegalArgumentException(
          parameter + ": '" + text + "' is not an HTTP method; use GET, POST, PUT, PATCH, DELETE, ...");
    }
    return method;
  }
}
