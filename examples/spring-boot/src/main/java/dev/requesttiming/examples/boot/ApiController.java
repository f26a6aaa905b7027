package dev.requesttiming.examples.boot;

import dev.requesttiming.core.RequestBudget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A user lookup, a slow endpoint and a RAG-like chat that waits no longer than its budget allows. */
@RestController
class ApiController {

  @GetMapping("/api/users/{id}")
  Map<String, String> user(@PathVariable String id) {
    return Map.of("id", id);
  }

  @GetMapping("/api/slow")
  String slow(@RequestParam(defaultValue = "100") long ms) throws InterruptedException {
    Thread.sleep(Math.min(ms, 60_000));
    return "slept " + ms + "ms";
  }

  /** The downstream call's timeout is what is left of the request's budget, minus time to answer. */
  @PostMapping("/api/chat")
  ResponseEntity<String> chat(@RequestParam(required = false) Long backendMs) throws InterruptedException {
    long backend = backendMs != null ? backendMs : (long) (1500 * Math.exp(0.9 * ThreadLocalRandom.current().nextGaussian()));
    Duration timeout = RequestBudget.current().remainingOr(Duration.ofSeconds(90)).minusMillis(250);
    if (timeout.isNegative() || backend > timeout.toMillis()) {
      Thread.sleep(Math.max(0, timeout.toMillis()));
      return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
          .body("the RAG backend did not answer within the remaining budget (" + timeout.toMillis() + "ms)");
    }
    Thread.sleep(backend);
    return ResponseEntity.ok("{\"answer\":\"42\"}");
  }
}
