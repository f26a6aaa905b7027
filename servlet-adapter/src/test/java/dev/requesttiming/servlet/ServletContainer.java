package dev.requesttiming.servlet;

import jakarta.servlet.ServletContainerInitializer;

/** A real embedded servlet container on a free loopback port, set up by an initializer. */
interface ServletContainer extends AutoCloseable {

  /** Starts the container and returns its port. */
  int start(ServletContainerInitializer setup) throws Exception;

  @Override
  void close() throws Exception;
}
