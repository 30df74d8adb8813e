package io.touchpoint.simulator.world;

import java.util.List;

/**
 * A market: its share of devices, the UTC offset that shapes its users' day, its currency and its
 * price level relative to USD (store price tiers are local, not converted live).
 *
 * @param ipFirstOctet first octet of its devices' IPs (the rest derives from the device index)
 */
public record Country(
    String code,
    double weight,
    double utcOffsetHours,
    String currency,
    double perUsd,
    boolean wholeUnits,
    int ipFirstOctet) {

  public static final List<Country> ALL =
      List.of(
          new Country("US", 30, -5, "USD", 1.0, false, 73),
          new Country("BR", 10, -3, "BRL", 5.0, false, 177),
          new Country("GB", 8, 0, "GBP", 0.8, false, 81),
          new Country("DE", 8, 1, "EUR", 0.92, false, 84),
          new Country("FR", 6, 1, "EUR", 0.92, false, 90),
          new Country("IN", 12, 5.5, "INR", 83.0, true, 49),
          new Country("JP", 8, 9, "JPY", 150.0, true, 126),
          new Country("KR", 5, 9, "KRW", 1300.0, true, 121),
          new Country("MX", 6, -6, "MXN", 17.0, false, 187),
          new Country("ID", 7, 7, "IDR", 15500.0, true, 36));

  /** A price in USD as this country's store sells it. */
  public double localPrice(double usd) {
    double local = usd * perUsd;
    return wholeUnits ? Math.round(local) : Math.round(local * 100) / 100.0;
  }
}
