package dev.requesttiming.java11;

import dev.requesttiming.core.RequestAdapter;

/** Requests as the core sees them in these tests: a path, always a GET. */
final class PathRequests implements RequestAdapter<String> {

  static final PathRequests GET = new PathRequests();

  private PathRequests() {}

  @Override
  public String method(String path) {
    return "GET";
  }

  @Override
  public String path(String path) {
    return path;
  }
}
