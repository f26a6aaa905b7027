package dev.requesttiming.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small real HTTP client for the tests. */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempts: one request, one exchange
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final int port;

  Http(int port) {
    this.port = port;
  }

  /**
   * Sends bytes as they are over a plain socket (for requests no HTTP client would send) and
   * returns the status code of the answer, or -1 when the server closed without one.
   */
  int raw(byte[] request) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      byte[] answer = socket.getInputStream().readAllBytes();
      String text = new String(answer, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.")) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    } catch (IOException e) {
      return -1;
    }
  }

  /** A request line and headers as raw bytes: {@code METHOD path HTTP/1.1}. */
  static byte[] rawRequest(String method, byte[] path, String... headerLines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes((method + " ").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    out.writeBytes(path);
    StringBuilder rest = new StringBuilder(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headerLines) {
      rest.append(h).append("\r\n");
    }
    rest.append("\r\n");
    out.writeBytes(rest.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, headers);
  }

  HttpResponse<String> send(String method, String pathAndQuery, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      builder.headers(headers);
    }
    HttpRequest request = builder.build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
