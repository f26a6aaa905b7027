package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.util.SafeText;
import org.jspecify.annotations.Nullable;

/**
 * The JSP page or tag file a stack is rendering, read back from the class Jasper compiled it into:
 * {@code org.apache.jsp.WEB_002dINF.jsp.owners.list_jsp} is {@code /WEB-INF/jsp/owners/list.jsp},
 * {@code org.apache.jsp.tag.web.layout.footer_tag} is {@code /WEB-INF/tags/layout/footer.tag}.
 * Jasper writes a character that cannot be in a Java name as {@code _} and four hex digits, and the
 * dot before the extension as {@code _}.
 */
final class JspPage {

  private static final String PAGES = "org.apache.jsp.";
  private static final String TAGS = "org.apache.jsp.tag.web.";
  private static final String JAR_TAGS = "org.apache.jsp.tag.meta.";

  private JspPage() {}

  /** The innermost page or tag on the stack (the one rendering now), or null when there is none. */
  static @Nullable String on(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      String page = of(frame.getClassName());
      if (page != null) {
        return page;
      }
    }
    return null;
  }

  /** The page or tag of a class Jasper generated, or null for any other class. */
  static @Nullable String of(String className) {
    if (!className.startsWith(PAGES) || className.indexOf('$') >= 0) {
      return null;
    }
    String root;
    String rest;
    if (className.startsWith(TAGS)) {
      root = "/WEB-INF/tags/";
      rest = className.substring(TAGS.length());
    } else if (className.startsWith(JAR_TAGS)) {
      root = "tag ";
      rest = className.substring(JAR_TAGS.length());
    } else {
      root = "/";
      rest = className.substring(PAGES.length());
    }
    if (!(rest.endsWith("_jsp") || rest.endsWith("_jspx") || rest.endsWith("_tag") || rest.endsWith("_tagx"))) {
      return null;
    }
    return SafeText.of(root + unmangle(rest.replace('.', '/')), 200);
  }

  private static String unmangle(String name) {
    StringBuilder path = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' && i + 5 <= name.length() && isHex(name, i + 1, i + 5)) {
        path.append((char) Integer.parseInt(name, i + 1, i + 5, 16));
        i += 4;
      } else {
        path.append(c == '_' ? '.' : c);
      }
    }
    return path.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
