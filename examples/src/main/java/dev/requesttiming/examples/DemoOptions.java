package dev.requesttiming.examples;

/**
 * The demo's command-line flags. Durations stay text: the library reads them, with its own
 * messages for bad values.
 */
record DemoOptions(int port, String budget, String reportInterval, boolean traffic, boolean timing) {

  static final String USAGE =
      """
      Usage: java -jar examples/target/request-timing-demo.jar [options]

        --port N               port to listen on (default 8080; 0 picks a free port)
        --budget D             the worker-timeout budget, e.g. 5s, 1500ms (default 5s)
        --report-interval D    how often the slow-endpoint report is logged (default 10s; 0 = off)
        --traffic              send built-in traffic to the demo: fast, normal, slow and failing requests
        --no-timing            the same app without the filter, for A/B benchmarks
        --help                 this text
      """;

  static DemoOptions parse(String... args) {
    int port = 8080;
    String budget = "5s";
    String reportInterval = "10s";
    boolean traffic = false;
    boolean timing = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--port" -> port = port(value(args, ++i, arg));
        case "--budget" -> budget = value(args, ++i, arg);
        case "--report-interval" -> reportInterval = value(args, ++i, arg);
        case "--traffic" -> traffic = true;
        case "--no-timing" -> timing = false;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
      }
    }
    return new DemoOptions(port, budget, reportInterval, traffic, timing);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value; see --help");
    }
    return args[i];
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("--port: '" + text + "' is not a port from 0 to 65535");
  }
}
