package dev.requesttiming.core.internal.config;

import java.util.ArrayList;
import java.util.List;

/** Splits request paths into segments: no empty segments, no {@code ;matrix} parameters, no query. */
public final class PathSegments {

  private PathSegments() {}

  public static List<String> of(String path) {
    List<String> result = new ArrayList<>();
    int end = path.length();
    int query = path.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int i = 0;
    while (i < end) {
      int slash = path.indexOf('/', i);
      int segmentEnd = slash < 0 || slash > end ? end : slash;
      int params = path.indexOf(';', i);
      int textEnd = params >= 0 && params < segmentEnd ? params : segmentEnd;
      if (textEnd > i) {
        result.add(path.substring(i, textEnd));
      }
      i = segmentEnd + 1;
    }
    return result;
  }
}
