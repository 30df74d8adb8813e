package io.touchpoint.serving;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The packaged SQL and specs ({@code clickhouse/...}, {@code druid/...}) from a folder or a jar.
 */
public final class Resources {
  private Resources() {}

  public static String text(String path) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new ServingException("resource not found on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServingException("cannot read resource " + path + ": " + e.getMessage(), e);
    }
  }

  public static boolean exists(String path) {
    return Resources.class.getClassLoader().getResource(path) != null;
  }

  /** File names (not paths) directly under {@code dir} ending with {@code suffix}, sorted. */
  public static List<String> list(String dir, String suffix) {
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> urls = Resources.class.getClassLoader().getResources(dir);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if ("file".equals(url.getProtocol())) {
          try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            s.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(suffix))
                .forEach(names::add);
          }
        } else if ("jar".equals(url.getProtocol())) {
          JarURLConnection conn = (JarURLConnection) url.openConnection();
          try (JarFile jar = conn.getJarFile()) {
            String prefix = dir.endsWith("/") ? dir : dir + "/";
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
              String n = e.nextElement().getName();
              if (n.startsWith(prefix)
                  && n.endsWith(suffix)
                  && n.indexOf('/', prefix.length()) < 0) {
                names.add(n.substring(prefix.length()));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new ServingException("cannot list resources under " + dir + ": " + e.getMessage(), e);
    }
    return names.stream().distinct().sorted().toList();
  }
}
