package io.touchpoint.simulator.world;

import java.util.List;

/**
 * An ad network (media source) and the publisher sites it buys on.
 *
 * @param weight its share of the ad traffic
 * @param ctr chance that one of its impressions is clicked
 * @param sites honest publisher sites
 * @param runsRetargeting whether it also sells retargeting campaigns
 */
public record Network(
    String mediaSource,
    double weight,
    double ctr,
    String costModel,
    double costValue,
    List<String> sites,
    boolean runsRetargeting) {}
