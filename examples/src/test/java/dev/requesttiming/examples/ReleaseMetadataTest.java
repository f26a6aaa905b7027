package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a release needs besides the code, held together: the license the POMs name is the one at the
 * root, the BOM lists exactly the modules that are published and moves with their version, and the
 * changelog has a section for it. Maven Central's own rules are checked by the release profile.
 */
class ReleaseMetadataTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void theLicenseAtTheRoot_isTheOneThePomsName() throws Exception {
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    Element parent = pom(ROOT.resolve("pom.xml"));
    assertThat(text(child(child(parent, "licenses"), "license"), "name")).isEqualTo("Apache License, Version 2.0");
    assertThat(text(child(child(pom(ROOT.resolve("bom/pom.xml")), "licenses"), "license"), "name"))
        .isEqualTo("Apache License, Version 2.0");
  }

  @Test
  void theBom_listsEveryPublishedModule_atTheirVersion() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("bom/pom.xml"));
    assertThat(text(bom, "version")).as("the BOM moves with the parent").isEqualTo(text(parent, "version"));

    List<String> published = new ArrayList<>();
    for (Element module : children(child(parent, "modules"), "module")) {
      Path pom = ROOT.resolve(module.getTextContent()).resolve("pom.xml");
      if (Files.readString(pom).contains("<published.jar.phase>verify</published.jar.phase>")) {
        published.add(text(pom(pom), "artifactId"));
      }
    }
    List<String> listed = new ArrayList<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      listed.add(text(dependency, "artifactId"));
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
    }
    assertThat(published).containsExactly(
        "request-timing-core", "request-timing-servlet", "request-timing-servlet-javax", "request-timing-spring-boot");
    assertThat(listed).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void theChangelog_hasASectionForThisVersion() throws Exception {
    String version = text(pom(ROOT.resolve("pom.xml")), "version").replace("-SNAPSHOT", "");
    assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"))).contains("## [Unreleased]", "## [" + version + "]");
  }

  private static Element pom(Path file) throws Exception {
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as(name + " in " + parent.getTagName()).isNotEmpty();
    return found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }
}
