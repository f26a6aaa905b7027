package dev.requesttiming.core.internal.config;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One configuration parameter: its name (as an init-param, a {@code Builder.set} key and, after
 * {@code request-timing.}, a Spring property), its default, how its text is read, the check of its
 * value, how its value is written back, and what it means. {@link Parameters} lists them all.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of its value; {@code null} is a value for some ("none", "derived")
 */
public final class Parameter<T> {

  private final String name;
  private final Class<?> type;
  private final @Nullable T defaultValue;
  private final String defaultText;
  private final String description;
  private final BiFunction<String, String, @Nullable T> parser;
  private final BiConsumer<String, @Nullable T> check;
  private final Function<Settings, String> describer;

  Parameter(
      String name,
      Class<?> type,
      @Nullable T defaultValue,
      String defaultText,
      String description,
      BiFunction<String, String, @Nullable T> parser,
      BiConsumer<String, @Nullable T> check,
      @Nullable Function<Settings, String> describer,
      Function<@Nullable T, String> formatter) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.description = description;
    this.parser = parser;
    this.check = check;
    this.describer = describer != null ? describer : settings -> formatter.apply(settings.get(this));
  }

  /** The name: {@code budget}, {@code warn-at}, ... */
  public String name() {
    return name;
  }

  /**
   * The type of its value as a user writes it: {@code Duration}, {@code Double} (a fraction), an
   * enum of {@code RequestTimingConfig}, {@code List} (of text) or {@code Map} (of durations by
   * name); what Spring's IDE metadata declares.
   */
  public Class<?> type() {
    return type;
  }

  /** The value when none is set; null where that means "none" or "derived". */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** The default as the configuration reference's table writes it. */
  public String defaultText() {
    return defaultText;
  }

  /** What the parameter means, as the configuration reference and the IDE (Spring's metadata) say it. */
  public String description() {
    return description;
  }

  /**
   * Reads the text form of a value.
   *
   * @throws IllegalArgumentException naming the parameter, the text and what is allowed
   */
  public @Nullable T parse(String text) {
    return parser.apply(name, Objects.requireNonNull(text, "value == null (" + name + ")"));
  }

  /**
   * Checks a value on its own (checks against other parameters are {@link Settings}').
   *
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  void check(@Nullable Object value) {
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    check.accept(name, typed);
  }

  /** The effective value in the form the start-up line prints it. */
  String describe(Settings settings) {
    return describer.apply(settings);
  }

  @Override
  public String toString() {
    return name;
  }
}
