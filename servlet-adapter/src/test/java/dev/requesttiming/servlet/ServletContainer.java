package dev.requesttiming.servlet;

import jakarta.servlet.ServletContainerInitializer;

/**
 * A real embedded servlet container on a free loopback port, set up by an initializer. With the
 * system property {@value #VIRTUAL_THREADS} set to true (the build's virtual-threads run on JDK 21+),
 * the container serves requests on virtual threads, through its own option for that.
 */
interface ServletContainer extends AutoCloseable {

  String VIRTUAL_THREADS = "requesttiming.it.virtual-threads";

  static boolean virtualThreads() {
    return Boolean.getBoolean(VIRTUAL_THREADS);
  }

  /** Starts the container and returns its port. */
  int start(ServletContainerInitializer setup) throws Exception;

  @Override
  void close() throws Exception;
}
