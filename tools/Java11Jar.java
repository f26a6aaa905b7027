import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Turns a jar of Java 17 classes into a multi-release jar that Java 11 loads too, in place.
 *
 * <ol>
 *   <li>JvmDowngrader (run as a build tool, never shipped) rewrites the classes to class-file version 55
 *       at the jar's root and keeps the originals of the classes it changed under
 *       {@code META-INF/versions/17}, where Java 17 and later read them.
 *   <li>A downgraded record extends JvmDowngrader's stand-in for {@code java.lang.Record}. This tool
 *       makes it extend {@code java.lang.Object} instead, so no class of JvmDowngrader (LGPL) goes into
 *       the jar: a record on Java 11 is a final class with its own equals, hashCode and toString.
 *   <li>It fails the build if a class at the root has a class-file version above 55, or still names a
 *       JvmDowngrader class as a class it loads: the stub of a Java 12+ API the code calls, which Java 11
 *       would need JvmDowngrader's library for.
 * </ol>
 *
 * <p>Run from the build with the JDK's source launcher: {@code java tools/Java11Jar.java
 * <jvmdowngrader-all.jar> <compile class path> <jar>}.
 */
public final class Java11Jar {

  private static final int JAVA_11 = 55;
  private static final String VERSIONED = "META-INF/versions/";
  private static final String TOOL_PACKAGE = "xyz/wagyourtail/";
  private static final String RECORD_STAND_IN = "xyz/wagyourtail/jvmdg/j16/stub/java_base/J_L_Record";
  private static final String OBJECT = "java/lang/Object";
  private static final String RECORD_ANNOTATION = "Lxyz/wagyourtail/jvmdg/j16/RecordComponents";

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Java11Jar <jvmdowngrader-all.jar> <class path> <jar>");
    }
    Path jar = Path.of(args[2]);
    try (JarFile input = new JarFile(jar.toFile())) {
      if (input.stream().anyMatch(entry -> entry.getName().startsWith(VERSIONED))) {
        // its originals would be lost: the jar plugin must build the jar afresh (forceCreation)
        throw new IllegalStateException(jar + " is a multi-release jar already: rewrite a jar as the jar plugin built it");
      }
    }
    Path downgraded = jar.resolveSibling(jar.getFileName() + ".java11-downgraded.jar");
    downgrade(Path.of(args[0]), args[1], jar, downgraded);
    Path result = jar.resolveSibling(jar.getFileName() + ".java11-multi-release.jar");
    Summary summary = rewrite(downgraded, result);
    Files.move(result, jar, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(downgraded);
    System.out.printf("%s: %d classes for Java 11 (class-file version <= %d), %d of them records on java.lang.Object;"
        + " %d originals for Java 17 under %s17%n",
        jar.getFileName(), summary.classes, JAVA_11, summary.records, summary.originals, VERSIONED);
  }

  private static void downgrade(Path tool, String classPath, Path jar, Path out) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-jar", tool.toString(), "--classVersion", "55",
            "--multiReleaseOriginal", "downgrade", "--classpath", classPath, "--target", jar.toString(), out.toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    // a class it cannot find is a hierarchy it could not check: a wrong class path, not a warning
    if (exit != 0 || output.contains("ERROR") || !Files.exists(out)) {
      throw new IllegalStateException("JvmDowngrader failed on " + jar + " (exit " + exit + "):\n" + output);
    }
  }

  private static Summary rewrite(Path in, Path out) throws IOException {
    Summary summary = new Summary();
    List<String> problems = new ArrayList<>();
    try (JarFile source = new JarFile(in.toFile());
        JarOutputStream target = new JarOutputStream(Files.newOutputStream(out), multiRelease(source.getManifest()))) {
      for (JarEntry entry : Collections.list(source.entries())) {
        String name = entry.getName();
        if (name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/")) {
          continue;
        }
        if (name.startsWith(TOOL_PACKAGE)) {
          problems.add(name + " is a JvmDowngrader class");
          continue;
        }
        byte[] bytes;
        try (InputStream stream = source.getInputStream(entry)) {
          bytes = stream.readAllBytes();
        }
        if (name.endsWith(".class") && name.startsWith(VERSIONED)) {
          summary.originals++;
        } else if (name.endsWith(".class")) {
          ClassFile rewritten = ClassFile.rewrite(bytes);
          summary.classes++;
          summary.records += rewritten.recordsRewritten;
          if (rewritten.major > JAVA_11) {
            problems.add(name + " has class-file version " + rewritten.major + ", above Java 11's " + JAVA_11);
          }
          for (String loaded : rewritten.classNames) {
            if (loaded.startsWith(TOOL_PACKAGE)) {
              problems.add(name + " loads " + loaded);
            }
          }
          for (String text : rewritten.toolTexts) {
            // only the annotation JvmDowngrader leaves on a record, which Java ignores when its class is absent
            if (!text.startsWith(RECORD_ANNOTATION)) {
              problems.add(name + " names " + text);
            }
          }
          bytes = rewritten.bytes;
        }
        JarEntry copy = new JarEntry(name);
        copy.setTime(entry.getTime());
        target.putNextEntry(copy);
        target.write(bytes);
        target.closeEntry();
      }
    }
    if (!problems.isEmpty()) {
      Files.deleteIfExists(out);
      throw new IllegalStateException("not loadable by Java 11 without JvmDowngrader:\n  " + String.join("\n  ", problems));
    }
    return summary;
  }

  private static Manifest multiRelease(Manifest manifest) {
    Manifest result = manifest == null ? new Manifest() : manifest;
    result.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
    result.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    return result;
  }

  private static final class Summary {
    int classes;
    int records;
    int originals;
  }

  /**
   * A class file with its constant pool read: the record stand-in renamed to {@code java/lang/Object},
   * the rest copied byte for byte (nothing else refers to a constant by its text).
   */
  private static final class ClassFile {
    int major;
    int recordsRewritten;
    final List<String> classNames = new ArrayList<>();
    final List<String> toolTexts = new ArrayList<>();
    byte[] bytes;

    static ClassFile rewrite(byte[] original) throws IOException {
      ClassFile file = new ClassFile();
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(original));
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(original.length);
      DataOutputStream out = new DataOutputStream(buffer);
      int magic = in.readInt();
      if (magic != 0xCAFEBABE) {
        throw new IOException("not a class file");
      }
      int minor = in.readUnsignedShort();
      file.major = in.readUnsignedShort();
      int count = in.readUnsignedShort();
      out.writeInt(magic);
      out.writeShort(minor);
      out.writeShort(file.major);
      out.writeShort(count);
      String[] utf8 = new String[count];
      List<Integer> classEntries = new ArrayList<>();
      for (int index = 1; index < count; index++) {
        int tag = in.readUnsignedByte();
        out.writeByte(tag);
        switch (tag) {
          case 1 -> {
            String text = in.readUTF();
            if (text.equals(RECORD_STAND_IN)) {
              text = OBJECT;
              file.recordsRewritten = 1;
            }
            utf8[index] = text;
            if (text.contains(TOOL_PACKAGE)) {
              file.toolTexts.add(text);
            }
            out.writeUTF(text);
          }
          case 7 -> {
            int nameIndex = in.readUnsignedShort();
            classEntries.add(nameIndex);
            out.writeShort(nameIndex);
          }
          case 8, 16, 19, 20 -> out.writeShort(in.readUnsignedShort());
          case 15 -> {
            out.writeByte(in.readUnsignedByte());
            out.writeShort(in.readUnsignedShort());
          }
          case 3, 4, 9, 10, 11, 12, 17, 18 -> out.writeInt(in.readInt());
          case 5, 6 -> {
            out.writeLong(in.readLong());
            index++;
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      for (int nameIndex : classEntries) {
        file.classNames.add(utf8[nameIndex]);
      }
      file.toolTexts.removeAll(file.classNames);
      in.transferTo(out);
      out.flush();
      file.bytes = buffer.toByteArray();
      return file;
    }
  }
}
