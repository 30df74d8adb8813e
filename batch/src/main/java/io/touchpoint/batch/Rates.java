package io.touchpoint.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Currency conversion to USD: CSV {@code currency,rate_to_usd,valid_from}, the latest {@code
 * valid_from <= day} applies. Small enough to ship with every task.
 */
public final class Rates implements Serializable {
  private static final long serialVersionUID = 1L;
  private final HashMap<String, TreeMap<LocalDate, Double>> byCurrency;

  private Rates(HashMap<String, TreeMap<LocalDate, Double>> byCurrency) {
    this.byCurrency = byCurrency;
  }

  /** The built-in table (fx-rates.csv). */
  public static Rates builtIn() {
    try (InputStream in = Rates.class.getResourceAsStream("/fx-rates.csv")) {
      return parse(in, "fx-rates.csv");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Rates parse(InputStream in, String source) throws IOException {
    HashMap<String, TreeMap<LocalDate, Double>> m = new HashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("currency,")) {
        continue;
      }
      String[] f = t.split(",");
      if (f.length != 3) {
        throw new IllegalArgumentException(
            source + ":" + n + ": expected currency,rate_to_usd,valid_from");
      }
      double rate = Double.parseDouble(f[1].trim());
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException(source + ":" + n + ": rate must be a positive number");
      }
      m.computeIfAbsent(f[0].trim(), k -> new TreeMap<>()).put(LocalDate.parse(f[2].trim()), rate);
    }
    return new Rates(m);
  }

  /** USD per unit of {@code currency} on {@code day}, or null when unknown. */
  public Double rate(String currency, LocalDate day) {
    TreeMap<LocalDate, Double> rates = currency == null ? null : byCurrency.get(currency);
    if (rates == null) {
      return null;
    }
    Map.Entry<LocalDate, Double> e = rates.floorEntry(day);
    return e == null ? null : e.getValue();
  }

  public Double toUsd(Double amount, String currency, LocalDate day) {
    if (amount == null) {
      return null;
    }
    Double rate = rate(currency, day);
    return rate == null ? null : amount * rate;
  }
}
