package dev.requesttiming.java11;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** What every test here checks first: that it runs on Java 11, and on the jars' classes for Java 11. */
final class Java11 {

  private Java11() {}

  /** Fails unless this JVM is a Java 11 one (run with -Djava11.jvm=.../bin/java). */
  static void assertRunningOnJava11() {
    assertThat(Runtime.version().feature()).as("the JVM running the tests: %s", System.getProperty("java.home")).isEqualTo(11);
  }

  /** The class-file version of the class as this JVM loaded it: from the jar's root on Java 11. */
  static int classFileVersion(Class<?> type) throws IOException {
    String resource = type.getSimpleName() + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      DataInputStream data = new DataInputStream(in);
      data.readInt(); // magic
      data.readUnsignedShort(); // minor
      return data.readUnsignedShort();
    }
  }

  /** Where the class was loaded from: a jar, not a build's classes directory. */
  static String jarOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().getPath();
  }
}
