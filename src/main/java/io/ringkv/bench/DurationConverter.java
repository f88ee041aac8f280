package io.ringkv.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses "500ms", "30s", "2m", "1h" (a bare number means seconds) or ISO-8601 "PT30S". */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        Duration d;
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            d = Duration.ofMillis(Math.round(millis));
        } else {
            try {
                d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (Exception e) {
                throw new TypeConversionException("'" + value + "' is not a duration (use e.g. 500ms, 30s, 2m)");
            }
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative");
        }
        return d;
    }
}
